/**
 * Where a user's data lives, and the actor-level namespace roots forgetting sweeps: one per
 * template the memory writes records to (as deployed, and as the memory's strategies say
 * now), per extra root the operator configured for strategies since removed, and per
 * default root of this package's layout, so records outlive neither a strategy's removal
 * nor a layout change.
 */
import {
  DEFAULT_EPISODIC_NAMESPACES,
  DEFAULT_NAMESPACES,
  actorPrefixFor,
  namespaceTemplateErrors,
  strategyActorRoot,
} from '../contract/index.js';

/** Where the user's data lives. */
export interface ForgetTarget {
  readonly memoryId: string;
  readonly sessionTableName: string;
  /** Every namespace template the memory's strategies write records to, as deployed. */
  readonly namespaceTemplates: readonly string[];
  /**
   * Further templates with `{actorId}` whose actor-level roots are swept too: the
   * namespaces of strategies since removed from the memory, whose records stay.
   * @default []
   */
  readonly extraNamespaceTemplates?: readonly string[];
}

/** A strategy as GetMemory describes it: its id and namespace templates. */
export interface MemoryStrategyNamespaces {
  readonly strategyId: string;
  readonly templates: readonly string[];
}

/** Problems with the target that would make a sweep miss data; checked before any call. */
export function forgetTargetErrors(target: ForgetTarget): string[] {
  const errors: string[] = [];
  if (!target.memoryId) errors.push('memoryId is required');
  if (!target.sessionTableName) errors.push('sessionTableName is required');
  if (target.namespaceTemplates.length === 0) {
    errors.push('namespaceTemplates must list every namespace template the memory writes records to');
  }
  for (const template of target.namespaceTemplates) {
    errors.push(...namespaceTemplateErrors(template).map((error) => `namespaceTemplates: ${error}`));
  }
  for (const template of target.extraNamespaceTemplates ?? []) {
    errors.push(...namespaceTemplateErrors(template).map((error) => `extraNamespaceTemplates: ${error}`));
  }
  return errors;
}

/** The roots of this package's default layout, swept whatever the memory's strategies are now. */
export const COMMON_ROOT_TEMPLATES: readonly string[] = [
  ...new Set(
    [...Object.values(DEFAULT_NAMESPACES), ...Object.values(DEFAULT_EPISODIC_NAMESPACES)].map(actorRootTemplate),
  ),
];

/** `/summaries/{actorId}/{sessionId}/` gives `/summaries/{actorId}/`: the template cut after its actor segment. */
function actorRootTemplate(template: string): string {
  const segments = template.slice(1, -1).split('/');
  return `/${segments.slice(0, segments.indexOf('{actorId}') + 1).join('/')}/`;
}

/** The actor's roots, one per template, without a root another one already covers. */
export function actorPrefixes(templates: readonly string[], actorId: string): string[] {
  return withoutCovered(templates.map((template) => actorPrefixFor(template, actorId)));
}

/**
 * Every actor-level root to sweep with `namespacePath`. A default root is left out when a
 * known template uses its first segment for something other than the actor (say
 * `/facts/{sessionId}/...`), where it could cover records that are not this actor's.
 */
export function namespaceRootsFor(
  target: ForgetTarget,
  strategies: readonly MemoryStrategyNamespaces[],
  actorId: string,
): string[] {
  const configured = [...target.namespaceTemplates, ...(target.extraNamespaceTemplates ?? [])];
  const fromMemory = strategies.flatMap(({ strategyId, templates }) =>
    templates.flatMap((template) => strategyActorRoot(template, strategyId, actorId) ?? []),
  );
  const known = [...configured, ...strategies.flatMap((strategy) => strategy.templates)].map((template) =>
    template.replace(/^\/+|\/+$/g, '').split('/'),
  );
  const common = COMMON_ROOT_TEMPLATES.filter((root) => {
    const [first] = root.slice(1, -1).split('/');
    return known.every((segments) => segments[0] !== first || segments[1] === '{actorId}');
  });
  return withoutCovered([
    ...configured.map((template) => actorPrefixFor(template, actorId)),
    ...fromMemory,
    ...common.map((template) => actorPrefixFor(template, actorId)),
  ]);
}

/** A root as the subtree it stands for: ending with `/`, so prefix tests are segment-wise. */
export function subtreeOf(root: string): string {
  return root.endsWith('/') ? root : `${root}/`;
}

/** Sorted, unique, and without a root inside another's subtree. */
function withoutCovered(roots: readonly string[]): string[] {
  const unique = [...new Set(roots)].sort();
  return unique.filter(
    (root) => !unique.some((other) => other !== root && subtreeOf(root).startsWith(subtreeOf(other))),
  );
}

/**
 * Every template known to file records, with each strategy's own id filled in: the
 * per-record check refuses a namespace any of them would give to another actor.
 */
export function knownTemplatesFor(target: ForgetTarget, strategies: readonly MemoryStrategyNamespaces[]): string[] {
  return [
    ...new Set([
      ...target.namespaceTemplates,
      ...(target.extraNamespaceTemplates ?? []),
      ...strategies.flatMap(({ strategyId, templates }) =>
        templates.map((template) => template.replaceAll('{memoryStrategyId}', strategyId)),
      ),
      ...COMMON_ROOT_TEMPLATES,
    ]),
  ];
}
