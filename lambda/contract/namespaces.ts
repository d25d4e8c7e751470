/**
 * Namespace templates: the one place that says what a valid template is, how it is
 * resolved for an actor and session, and which prefix retrieval searches.
 */
import { ACTOR_ID_MAX_LENGTH, SESSION_ID_MAX_LENGTH, STRATEGY_ID_MAX_LENGTH } from './identifiers.js';
import {
  NAMESPACE_TEMPLATE_MAX_LENGTH,
  NAMESPACE_VARIABLE_VALUE_MAX_LENGTH,
  RESOLVED_NAMESPACE_MAX_LENGTH,
} from './limits.js';
import { codePointLength } from './unicode.js';

export const NAMESPACE_VARIABLES = ['actorId', 'sessionId', 'memoryStrategyId'] as const;
export type NamespaceVariable = (typeof NAMESPACE_VARIABLES)[number];

/** The namespaces of the three default strategies. */
export const DEFAULT_NAMESPACES = {
  summary: '/summaries/{actorId}/{sessionId}/',
  userPreference: '/preferences/{actorId}/',
  semantic: '/facts/{actorId}/',
} as const;

/**
 * The namespaces of the episodic strategy: one per session for episodes, and the actor's
 * level above them for reflections (AgentCore writes reflections to a prefix of the
 * episodes' namespace), so one actor-level prefix retrieves and forgets both.
 */
export const DEFAULT_EPISODIC_NAMESPACES = {
  episodes: '/episodes/{actorId}/{sessionId}/',
  reflections: '/episodes/{actorId}/',
} as const;

/** The longest value each variable can take, per AgentCore's id limits. */
const LONGEST_VALUE: Record<NamespaceVariable, number> = {
  actorId: ACTOR_ID_MAX_LENGTH,
  sessionId: SESSION_ID_MAX_LENGTH,
  memoryStrategyId: STRATEGY_ID_MAX_LENGTH,
};

// AgentCore's namespace pattern has no '.': a template with one is accepted by
// CloudFormation today but rejected by the service.
const LITERAL_SEGMENT = /^[a-zA-Z0-9_-]+$/;
const VARIABLE_SEGMENT = /^\{([^{}]*)\}$/;

/**
 * Every problem with a namespace template, each phrased as what to change; empty when
 * the template is valid. A valid template starts and ends with `/`, and each segment
 * between slashes is either a literal (letters, digits, `_`, `-`) or exactly one of
 * `{actorId}`, `{sessionId}`, `{memoryStrategyId}`. It must contain `{actorId}` before
 * any `{sessionId}` or `{memoryStrategyId}`, so that retrieval can always be scoped to
 * one actor: without it one user could read another user's memory. It is at most 512
 * characters, and at most 1,024 once filled in with the longest ids AgentCore accepts.
 *
 * `customVariables` are the memory's own namespace keys: each may fill a whole segment
 * after `{actorId}`. Never before it, and never instead of it: its value is whatever the
 * caller sends with an event, so it cannot tell actors apart.
 */
export function namespaceTemplateErrors(template: string, customVariables: readonly string[] = []): string[] {
  const errors: string[] = [];
  const length = codePointLength(template);
  if (length > NAMESPACE_TEMPLATE_MAX_LENGTH) {
    errors.push(
      `namespace '${template.slice(0, 40)}...' is ${length} characters; AgentCore accepts at most ${NAMESPACE_TEMPLATE_MAX_LENGTH}: shorten it`,
    );
    return errors;
  }
  if (!template.startsWith('/') || !template.endsWith('/') || template.length < 2) {
    errors.push(`namespace '${template}' must start and end with '/' (for example '/preferences/{actorId}/')`);
    return errors;
  }
  const segments = template.slice(1, -1).split('/');
  let actorSeen = false;
  const customSeen: string[] = [];
  for (const segment of segments) {
    if (segment === '') {
      errors.push(`namespace '${template}' has an empty segment ('//'); remove the extra '/'`);
      continue;
    }
    const variable = VARIABLE_SEGMENT.exec(segment)?.[1];
    if (variable !== undefined) {
      if (customVariables.includes(variable)) {
        customSeen.push(variable);
        if (!actorSeen) {
          errors.push(
            `namespace '${template}' must have '{actorId}' before the custom variable '{${variable}}': its value comes with each event, so before the actor it could name another actor's namespace`,
          );
        }
      } else if (!(NAMESPACE_VARIABLES as readonly string[]).includes(variable)) {
        errors.push(
          `namespace '${template}' uses unknown variable '{${variable}}'; use only ${[...NAMESPACE_VARIABLES, ...customVariables].map((v) => `{${v}}`).join(', ')}`,
        );
      } else if (variable === 'actorId') {
        actorSeen = true;
      } else if (!actorSeen) {
        errors.push(
          `namespace '${template}' must have '{actorId}' before '{${variable}}' so retrieval stays scoped to one actor`,
        );
      }
      continue;
    }
    if (!LITERAL_SEGMENT.test(segment)) {
      errors.push(
        `namespace '${template}' segment '${segment}' must be a literal of letters, digits, '_' and '-' (AgentCore's namespace pattern has no '.') or exactly one variable such as '{actorId}'`,
      );
    }
  }
  if (!actorSeen && customSeen.length > 0) {
    errors.push(
      `namespace '${template}' tells actors apart only by the custom variable '{${customSeen[0]}}', whose value each caller sets: add '{actorId}' before it so each user's memories stay separate`,
    );
  } else if (!actorSeen && errors.length === 0) {
    errors.push(`namespace '${template}' must contain '{actorId}' so each user's memories stay separate`);
  }
  if (errors.length === 0) {
    const longest = longestResolvedLength(template, customVariables);
    if (longest > RESOLVED_NAMESPACE_MAX_LENGTH) {
      errors.push(
        `namespace '${template}' can resolve to ${longest} characters with the longest ids (actorId ${LONGEST_VALUE.actorId}, sessionId ${LONGEST_VALUE.sessionId}, memoryStrategyId ${LONGEST_VALUE.memoryStrategyId}${customSeen.length > 0 ? `, a custom variable ${NAMESPACE_VARIABLE_VALUE_MAX_LENGTH}` : ''}); AgentCore accepts at most ${RESOLVED_NAMESPACE_MAX_LENGTH}: shorten it or use fewer variables`,
      );
    }
  }
  return errors;
}

/** The template's length once every variable holds the longest value AgentCore accepts. */
function longestResolvedLength(template: string, customVariables: readonly string[]): number {
  return codePointLength(
    template.replace(/\{([^{}]*)\}/g, (_match, name: string) =>
      'x'.repeat(
        customVariables.includes(name) ? NAMESPACE_VARIABLE_VALUE_MAX_LENGTH : LONGEST_VALUE[name as NamespaceVariable],
      ),
    ),
  );
}

export type NamespaceValues = Partial<Record<NamespaceVariable, string>>;

/** Replaces the template's variables; throws naming the variable when a value is missing. */
export function resolveNamespace(template: string, values: NamespaceValues): string {
  return template.replace(/\{([^{}]*)\}/g, (_match, name: string) => {
    if (!(NAMESPACE_VARIABLES as readonly string[]).includes(name)) {
      throw new Error(`namespace '${template}' uses unknown variable '{${name}}'`);
    }
    const value = values[name as NamespaceVariable];
    if (value === undefined || value === '') {
      throw new Error(`namespace '${template}' needs a value for '{${name}}'`);
    }
    return value;
  });
}

/**
 * The template retrieval should search: the template cut after its `{actorId}` segment
 * when later segments vary (per session, strategy or custom variable). That actor-level template stands for
 * a subtree, searched with `namespacePath`, so `/summaries/{actorId}/` finds the summaries
 * of every session of the actor, including earlier ones, while
 * `/summaries/{actorId}/{sessionId}/` would find nothing on the first turn of a new session.
 */
export function retrievalTemplateFor(template: string): string {
  const segments = template.slice(1, -1).split('/');
  // Any variable but the actor's varies below it: the session, the strategy, a custom variable.
  const firstVarying = segments.findIndex((segment) => segment.startsWith('{') && segment !== '{actorId}');
  if (firstVarying === -1) return template;
  return `/${segments.slice(0, firstVarying).join('/')}/`;
}

/**
 * Whether a retrieval template stands for a subtree: one that ends with its `{actorId}`
 * segment is the actor's level of the hierarchy (`/summaries/{actorId}/` holds the
 * summaries of every session below it), searched with `namespacePath`. A template with
 * segments after `{actorId}` (`/summaries/{actorId}/{sessionId}/`, `/notes/{actorId}/work/`)
 * names one namespace, searched with `namespace`.
 */
export function isActorLevelTemplate(template: string): boolean {
  return template.endsWith('/{actorId}/');
}

/**
 * The prefix under which a template keeps every record of one actor: the template cut
 * after its `{actorId}` segment, resolved (`/summaries/{actorId}/{sessionId}/` gives
 * `/summaries/<actorId>/`). It ends with `/`, and actorIds never contain `/`, so within
 * a layout `namespaceLayoutErrors` accepts it never covers another actor's records
 * (`/facts/bo/` is not a prefix of `/facts/bob/`, nor `/facts/a/` of `/facts/a_2fb/`).
 */
export function actorPrefixFor(template: string, actorId: string): string {
  const segments = template.slice(1, -1).split('/');
  const actorSegment = segments.indexOf('{actorId}');
  if (actorSegment === -1) throw new Error(`namespace '${template}' has no '{actorId}' segment`);
  return resolveNamespace(`/${segments.slice(0, actorSegment + 1).join('/')}/`, { actorId });
}

/**
 * A strategy template's actor-level root for one actor, as GetMemory gives the template:
 * the part up to `{actorId}`, with the strategy's own id filled in. AgentCore's own default
 * templates (`/strategies/{memoryStrategyId}/actors/{actorId}`) qualify; a template without
 * `{actorId}`, or with another variable (`{sessionId}`) before it, keeps no subtree per actor
 * and gives `undefined`. A template that ends at the actor without `/` (AgentCore's
 * defaults) files namespaces without it, and its root is written the same way: either
 * reading of a path matches it, and a per-record check then keeps only this actor's
 * (`.../bo`, never `.../bob`).
 */
export function strategyActorRoot(template: string, strategyId: string, actorId: string): string | undefined {
  const segments = template.replace(/^\/+|\/+$/g, '').split('/');
  const actorSegment = segments.indexOf('{actorId}');
  if (actorSegment < 1) return undefined;
  const before = segments.slice(0, actorSegment);
  if (before.some((segment) => segment === '' || (segment.includes('{') && segment !== '{memoryStrategyId}'))) {
    return undefined;
  }
  const slash = actorSegment < segments.length - 1 || template.endsWith('/') ? '/' : '';
  const root = resolveNamespace(`/${before.join('/')}/{actorId}${slash}`, { actorId, memoryStrategyId: strategyId });
  return /^\/[a-zA-Z0-9/_-]+$/.test(root) ? root : undefined;
}
