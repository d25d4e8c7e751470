/**
 * Every physical name an environment's stacks give their resources, from the environment
 * name and an optional prefix. Names CloudFormation generates (tables, roles, log groups,
 * the converse function, alarms) start with the stack name, so the prefix reaches them too:
 * two apps with different prefixes, or different environments, share an account and region
 * without a collision.
 */

/** A name prefix: a letter, then letters, digits and single hyphens, at most 10 characters. */
export const NAME_PREFIX_PATTERN = /^[a-zA-Z](?:[a-zA-Z0-9]|-(?=[a-zA-Z0-9])){0,9}$/;

/** Why `prefix` is not a name prefix; undefined when it is one. */
export function namePrefixError(prefix: string): string | undefined {
  if (NAME_PREFIX_PATTERN.test(prefix)) return undefined;
  return `'${prefix}' must start with a letter and hold letters, digits and single hyphens (not at the end), at most 10 characters (pattern ${NAME_PREFIX_PATTERN.source})`;
}

const hyphenated = (prefix: string | undefined, name: string) => (prefix ? `${prefix}-${name}` : name);

/**
 * AgentCore memory names allow only letters, digits and `_`, so hyphens become `_`.
 * Environment names and prefixes hold no `_`, so two different environments never map to
 * one name.
 */
export function memoryNameFor(environmentName: string, prefix?: string): string {
  const name = `agent_memory_${environmentName}`;
  return (prefix ? `${prefix}_${name}` : name).replace(/-/g, '_');
}

/** The forget function's name, so the forget tool finds it without a lookup. */
export function forgetFunctionNameFor(environmentName: string, prefix?: string): string {
  return hyphenated(prefix, `agent-memory-forget-${environmentName}`);
}

/** CloudWatch dashboard names are unique per account. */
export function dashboardNameFor(environmentName: string, prefix?: string): string {
  return hyphenated(prefix, `AgentMemory-${environmentName}`);
}

/** The `service` dimension of an environment's runtime metrics: environments sharing an account stay apart. */
export function serviceNameFor(environmentName: string, prefix?: string): string {
  return hyphenated(prefix, `converse-${environmentName}`);
}

/** The CloudFormation stack name of an environment's stateful or stateless stack. */
export function stackNameFor(environmentName: string, part: 'Stateful' | 'Stateless', prefix?: string): string {
  return hyphenated(prefix, `AgentMemory-${environmentName}-${part}`);
}
