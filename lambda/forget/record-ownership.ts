/**
 * Which listed records forgetting may delete: checked per record, whatever the listing
 * returned, so forgetting one user can never remove another user's memories.
 */
import { actorNamespaceRoots, actorsCoveringNamespace, namespaceBelongsToActor } from '../contract/index.js';

/**
 * The namespace to delete the record under, or `undefined` when the record is not the
 * actor's alone: it needs at least one namespace, every one of them under the actor's
 * own `roots`, and none that the `templates` would also give to another actor (a layout
 * in which one actor's root covers another's namespaces, `/{actorId}/` beside
 * `/preferences/{actorId}/`, makes `/preferences/alice/` both `alice`'s and `preferences`').
 */
export function namespaceToForget(
  recordNamespaces: readonly string[] | undefined,
  templates: readonly string[],
  actorId: string,
  roots: readonly string[] = actorNamespaceRoots(templates, actorId),
): string | undefined {
  if (recordNamespaces === undefined || recordNamespaces.length === 0) return undefined;
  const owned = recordNamespaces.every(
    (namespace) =>
      namespaceBelongsToActor(namespace, roots) &&
      actorsCoveringNamespace(namespace, templates).every((actor) => actor === actorId),
  );
  return owned ? recordNamespaces[0] : undefined;
}
