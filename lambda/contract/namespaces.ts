/**
 * Namespace templates: the one place that says what a valid template is, how it is
 * resolved for an actor and session, and which prefix retrieval searches.
 */

export const NAMESPACE_VARIABLES = ['actorId', 'sessionId', 'memoryStrategyId'] as const;
export type NamespaceVariable = (typeof NAMESPACE_VARIABLES)[number];

/** The namespaces of the three default strategies. */
export const DEFAULT_NAMESPACES = {
  summary: '/summaries/{actorId}/{sessionId}/',
  userPreference: '/preferences/{actorId}/',
  semantic: '/facts/{actorId}/',
} as const;

const LITERAL_SEGMENT = /^[a-zA-Z0-9_\-.]+$/;
const VARIABLE_SEGMENT = /^\{([^{}]*)\}$/;

/**
 * Every problem with a namespace template, each phrased as what to change; empty when
 * the template is valid. A valid template starts and ends with `/`, and each segment
 * between slashes is either a literal (letters, digits, `_`, `-`, `.`) or exactly one
 * of `{actorId}`, `{sessionId}`, `{memoryStrategyId}`. It must contain `{actorId}`
 * before any `{sessionId}` or `{memoryStrategyId}`, so that retrieval can always be
 * scoped to one actor: without it one user could read another user's memory.
 */
export function namespaceTemplateErrors(template: string): string[] {
  const errors: string[] = [];
  if (!template.startsWith('/') || !template.endsWith('/') || template.length < 2) {
    errors.push(`namespace '${template}' must start and end with '/' (for example '/preferences/{actorId}/')`);
    return errors;
  }
  const segments = template.slice(1, -1).split('/');
  let actorSeen = false;
  for (const segment of segments) {
    if (segment === '') {
      errors.push(`namespace '${template}' has an empty segment ('//'); remove the extra '/'`);
      continue;
    }
    const variable = VARIABLE_SEGMENT.exec(segment)?.[1];
    if (variable !== undefined) {
      if (!(NAMESPACE_VARIABLES as readonly string[]).includes(variable)) {
        errors.push(
          `namespace '${template}' uses unknown variable '{${variable}}'; use only ${NAMESPACE_VARIABLES.map((v) => `{${v}}`).join(', ')}`,
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
        `namespace '${template}' segment '${segment}' must be a literal of letters, digits, '_', '-', '.' or exactly one variable such as '{actorId}'`,
      );
    }
  }
  if (!actorSeen && errors.length === 0) {
    errors.push(`namespace '${template}' must contain '{actorId}' so each user's memories stay separate`);
  }
  return errors;
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
 * when later segments vary per session or strategy. AgentCore matches namespaces by
 * prefix, so `/summaries/{actorId}/` finds the summaries of every session of the actor,
 * including earlier ones, while `/summaries/{actorId}/{sessionId}/` would find nothing
 * on the first turn of a new session.
 */
export function retrievalTemplateFor(template: string): string {
  const segments = template.slice(1, -1).split('/');
  const firstVarying = segments.findIndex((segment) => segment === '{sessionId}' || segment === '{memoryStrategyId}');
  if (firstVarying === -1) return template;
  return `/${segments.slice(0, firstVarying).join('/')}/`;
}
