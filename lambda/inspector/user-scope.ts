/**
 * Which namespaces are one user's: the actor the converse function maps the userId to, and
 * each strategy template resolved for that actor and cut after its actor segment. A record
 * or namespace is the user's only when it lies under those roots and no template would give
 * it to another actor as well.
 */
import { type BedrockAgentCoreControlClient, GetMemoryCommand } from '@aws-sdk/client-bedrock-agentcore-control';
import {
  actorIdForUser,
  actorsCoveringNamespace,
  isValidMemoryId,
  isValidUserId,
  namespaceBelongsToActor,
  namespaceLayoutErrors,
  strategyActorRoot,
} from '../contract/index.js';
import { InspectorInputError } from '../platform/errors.js';
import type { InspectedStrategy } from './types.js';

export interface UserScope {
  readonly memoryId: string;
  readonly userId: string;
  readonly actorId: string;
  readonly strategies: readonly InspectedStrategy[];
  /** The actor's roots, listed and searched with `namespacePath`. */
  readonly roots: readonly string[];
  /** Every template with each strategy's id filled in: a namespace another actor could hold under any of them is refused. */
  readonly templates: readonly string[];
}

/** The memory's strategies and their templates, as GetMemory describes them now. */
export async function readStrategies(
  control: BedrockAgentCoreControlClient,
  memoryId: string,
): Promise<InspectedStrategy[]> {
  const { memory } = await control.send(new GetMemoryCommand({ memoryId }));
  return (memory?.strategies ?? []).flatMap((strategy) =>
    strategy.strategyId === undefined
      ? []
      : [
          {
            strategyId: strategy.strategyId,
            ...(strategy.type !== undefined && { kind: strategy.type }),
            namespaceTemplates: [...new Set([...(strategy.namespaceTemplates ?? []), ...(strategy.namespaces ?? [])])],
          },
        ],
  );
}

export function userScope(memoryId: string, userId: string, strategies: readonly InspectedStrategy[]): UserScope {
  if (!isValidMemoryId(memoryId)) throw new InspectorInputError(`memoryId '${memoryId}' is not an AgentCore memory id`);
  if (!isValidUserId(userId)) {
    throw new InspectorInputError(
      `userId '${userId}' is not a userId the converse function accepts (1-64 printable ASCII characters without spaces, starting with a letter or digit)`,
    );
  }
  const actorId = actorIdForUser(userId);
  const roots = [
    ...new Set(
      strategies.flatMap(({ strategyId, namespaceTemplates }) =>
        namespaceTemplates.flatMap((template) => strategyActorRoot(template, strategyId, actorId) ?? []),
      ),
    ),
  ].sort();
  if (roots.length === 0) {
    throw new InspectorInputError(
      `memory ${memoryId} has no strategy with a namespace template per actor ('{actorId}'): there is no namespace of user '${userId}' to inspect`,
    );
  }
  const templates = [
    ...new Set(
      strategies.flatMap(({ strategyId, namespaceTemplates }) =>
        namespaceTemplates.map((template) => template.replaceAll('{memoryStrategyId}', strategyId)),
      ),
    ),
  ];
  const layoutErrors = [
    ...templates
      .filter((template) => template.split('{actorId}')[0].includes('{') && template.includes('{actorId}'))
      .map(
        (template) =>
          `'${template}' has a variable before '{actorId}', so any actor's namespace can lie under another's`,
      ),
    ...namespaceLayoutErrors(templates),
  ];
  if (layoutErrors.length > 0) {
    throw new InspectorInputError(
      `memory ${memoryId}'s namespace templates do not keep users apart, so no record can be told to be user '${userId}''s alone: ${layoutErrors.join('; ')}`,
    );
  }
  return { memoryId, userId, actorId, strategies, roots, templates };
}

/** Whether `namespace` is the user's alone: under the user's roots, and no other actor's under any template. */
export function isUsersNamespace(scope: UserScope, namespace: string): boolean {
  return (
    namespaceBelongsToActor(namespace, scope.roots) &&
    actorsCoveringNamespace(namespace, scope.templates).every((actor) => actor === scope.actorId)
  );
}

/** Whether a record with these namespaces is the user's alone: it has one, and every one is the user's. */
export function isUsersRecord(scope: UserScope, namespaces: readonly string[] | undefined): boolean {
  return (
    namespaces !== undefined &&
    namespaces.length > 0 &&
    namespaces.every((namespace) => isUsersNamespace(scope, namespace))
  );
}
