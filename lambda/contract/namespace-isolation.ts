/**
 * Namespace isolation: whether a set of namespace templates keeps every actor's records
 * apart, and whether a record's namespace lies under an actor's own namespaces.
 *
 * Retrieval and forgetting work on subtrees: they search or sweep everything under an
 * actor's roots, each template cut after its `{actorId}` segment and resolved
 * (`/summaries/{actorId}/{sessionId}/` gives `/summaries/alice/`). An actorId never holds
 * `/` (the converse function maps userIds to ids without one and the session manager
 * refuses one), so it fills exactly one segment, but that segment can equal any literal:
 * with `/{actorId}/` beside `/preferences/{actorId}/`, actor `preferences` has the root
 * `/preferences/`, which covers every actor's preferences.
 *
 * The rule. Call the literal segments before a template's `{actorId}` its base. A set of
 * templates is isolation-safe when each template is valid (`namespaceTemplateErrors`:
 * `{actorId}` is a whole segment, and `{sessionId}` and `{memoryStrategyId}` only come
 * after it, so the base is literal), has `{actorId}` once and at least one literal before
 * it, and any two bases are equal or differ in a segment both have (neither is a proper
 * segment-wise prefix of the other).
 *
 * Why that suffices: take actors a != b and templates with bases B1 and B2. If B1 = B2,
 * the roots B1/a/ and B2/b/ differ at the actor segment; otherwise they differ at the first
 * segment where the bases differ. Either way the two roots differ at a segment both have,
 * so no namespace under one is equal to or a prefix of a namespace under the other, whatever
 * follows the actor segment. Why it is needed: if B1 is a proper prefix of B2, the actorId
 * equal to B2's next segment gives B1 a root that covers every actor's records under B2.
 * A base of at least one literal keeps an actor's root off the top level (`/<actorId>/`),
 * where it would cover any namespace of the memory whose first segment equals that id,
 * including those of strategies or agents added later.
 */
import { namespaceTemplateErrors, actorPrefixFor } from './namespaces.js';

const ACTOR_SEGMENT = '{actorId}';

/**
 * A namespace's segments (`/preferences/alice/` gives `preferences`, `alice`); `undefined`
 * when it is not one well-formed namespace: it must start with `/`, and no segment may be
 * empty (`//`), `.` or `..`.
 */
export function namespaceSegments(namespace: string): string[] | undefined {
  if (typeof namespace !== 'string' || !namespace.startsWith('/')) return undefined;
  const inner = namespace.endsWith('/') ? namespace.slice(1, -1) : namespace.slice(1);
  if (inner === '') return [];
  const segments = inner.split('/');
  return segments.some((segment) => segment === '' || segment === '.' || segment === '..') ? undefined : segments;
}

/** Whether `prefix`'s segments start `of`'s segments (equal counts as a prefix). */
function isSegmentPrefix(prefix: readonly string[], of: readonly string[]): boolean {
  return prefix.length <= of.length && prefix.every((segment, index) => segment === of[index]);
}

/** The literal segments before a valid template's first `{actorId}`. */
function baseOf(template: string): string[] {
  const segments = namespaceSegments(template) ?? [];
  return segments.slice(0, segments.indexOf(ACTOR_SEGMENT));
}

function pathOf(segments: readonly string[]): string {
  return segments.length === 0 ? '/' : `/${segments.join('/')}/`;
}

/**
 * Every reason the set of templates does not keep actors apart, each saying what to
 * change; empty when the set is isolation-safe. Templates that are not valid on their own
 * are skipped: `namespaceTemplateErrors` names their problems (report both).
 */
export function namespaceLayoutErrors(templates: Iterable<string>): string[] {
  const errors: string[] = [];
  const templatesByBase = new Map<string, { base: string[]; template: string }>();
  for (const template of new Set(templates)) {
    if (namespaceTemplateErrors(template).length > 0) continue;
    const segments = namespaceSegments(template) ?? [];
    if (segments.filter((segment) => segment === ACTOR_SEGMENT).length > 1) {
      errors.push(
        `namespace '${template}' uses '${ACTOR_SEGMENT}' more than once; use it once, so that one segment names the actor`,
      );
      continue;
    }
    const base = baseOf(template);
    if (base.length === 0) {
      errors.push(
        `namespace '${template}' needs a literal segment before '${ACTOR_SEGMENT}' (for example '/users${template}'): otherwise the actorId 'preferences' resolves it to '/preferences/', a path that covers every namespace of the memory that starts with that segment`,
      );
    }
    const key = pathOf(base);
    if (!templatesByBase.has(key)) templatesByBase.set(key, { base, template });
  }
  const groups = [...templatesByBase.values()];
  for (const outer of groups) {
    for (const inner of groups) {
      if (outer === inner || !isSegmentPrefix(outer.base, inner.base)) continue;
      const actorId = inner.base[outer.base.length];
      errors.push(
        `namespaces '${outer.template}' and '${inner.template}' do not keep actors apart: '${pathOf(outer.base)}', the part of '${outer.template}' before '${ACTOR_SEGMENT}', is a prefix of '${pathOf(inner.base)}', so the actorId '${actorId}' resolves '${outer.template}' under '${pathOf([...outer.base, actorId])}', which covers every actor's records of '${inner.template}'; give both the same part before '${ACTOR_SEGMENT}', or parts that differ in a segment (for example '${pathOf([...outer.base, '<name>'])}${ACTOR_SEGMENT}/...' beside '${pathOf(inner.base)}${ACTOR_SEGMENT}/...')`,
      );
    }
  }
  return errors;
}

/** Whether every template is valid and the set keeps every pair of actors apart. */
export function isIsolatedNamespaceLayout(templates: Iterable<string>): boolean {
  const all = [...templates];
  return (
    all.every((template) => namespaceTemplateErrors(template).length === 0) && namespaceLayoutErrors(all).length === 0
  );
}

/**
 * The actor's roots: each template cut after its `{actorId}` segment and resolved
 * (`/summaries/{actorId}/{sessionId}/` gives `/summaries/<actorId>/`), without repeats.
 * Every record of the actor under these templates lies under one of them.
 */
export function actorNamespaceRoots(templates: Iterable<string>, actorId: string): string[] {
  return [...new Set([...templates].map((template) => actorPrefixFor(template, actorId)))];
}

/**
 * Whether `namespace` lies under (or is) one of the actor's resolved roots, compared
 * segment by segment and exactly: `/preferences/bob/` is not under `/preferences/bo/`,
 * and a malformed namespace is under nothing.
 */
export function namespaceBelongsToActor(namespace: string, actorResolvedRoots: readonly string[]): boolean {
  const segments = namespaceSegments(namespace);
  if (segments === undefined) return false;
  return actorResolvedRoots.some((root) => {
    const rootSegments = namespaceSegments(root);
    return rootSegments !== undefined && rootSegments.length > 0 && isSegmentPrefix(rootSegments, segments);
  });
}

/**
 * Whether a record belongs to the actor: it has at least one namespace, and every one of
 * them lies under the actor's roots (a record also filed under another actor's namespace
 * is not the actor's alone to read or delete).
 */
export function recordBelongsToActor(
  namespaces: readonly string[] | undefined,
  actorResolvedRoots: readonly string[],
): boolean {
  return (
    namespaces !== undefined &&
    namespaces.length > 0 &&
    namespaces.every((namespace) => namespaceBelongsToActor(namespace, actorResolvedRoots))
  );
}

/**
 * Every actorId whose roots under these templates cover `namespace`: the segment after a
 * template's base, wherever the namespace starts with that base. Under an isolation-safe
 * layout that is at most one actor; under any other it shows who else a namespace could
 * belong to (with `/{actorId}/` beside `/preferences/{actorId}/`, `/preferences/alice/`
 * belongs to both `preferences` and `alice`), so a caller can refuse to act on it.
 */
export function actorsCoveringNamespace(namespace: string, templates: Iterable<string>): string[] {
  const segments = namespaceSegments(namespace);
  if (segments === undefined) return [];
  const actors = new Set<string>();
  for (const template of templates) {
    const templateSegments = namespaceSegments(template);
    if (templateSegments === undefined || !templateSegments.includes(ACTOR_SEGMENT)) continue;
    const base = baseOf(template);
    if (segments.length > base.length && isSegmentPrefix(base, segments)) actors.add(segments[base.length]);
  }
  return [...actors];
}
