import {
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRolePolicyCommand,
  IAMClient,
  paginateListAttachedRolePolicies,
  paginateListRolePolicies,
} from '@aws-sdk/client-iam';

/** One statement of an identity policy, as far as the doctor evaluates it. */
export interface PolicyStatement {
  readonly effect: 'Allow' | 'Deny';
  readonly actions: string[];
  readonly resources: string[];
  /** A statement with conditions may or may not apply; the doctor says so. */
  readonly conditional: boolean;
}

/**
 * Every statement of a role's identity policies: its inline policies and the default
 * version of each attached managed policy (CDK writes grants as an inline policy). The
 * documents come URL-encoded from IAM.
 */
export async function rolePolicyStatements(client: IAMClient, roleArn: string): Promise<PolicyStatement[]> {
  const roleName = roleArn.slice(roleArn.lastIndexOf('/') + 1);
  const documents: string[] = [];
  for await (const page of paginateListRolePolicies({ client }, { RoleName: roleName })) {
    for (const policyName of page.PolicyNames ?? []) {
      const { PolicyDocument } = await client.send(
        new GetRolePolicyCommand({ RoleName: roleName, PolicyName: policyName }),
      );
      if (PolicyDocument) documents.push(PolicyDocument);
    }
  }
  for await (const page of paginateListAttachedRolePolicies({ client }, { RoleName: roleName })) {
    for (const attached of page.AttachedPolicies ?? []) {
      const { Policy } = await client.send(new GetPolicyCommand({ PolicyArn: attached.PolicyArn }));
      const { PolicyVersion } = await client.send(
        new GetPolicyVersionCommand({ PolicyArn: attached.PolicyArn, VersionId: Policy?.DefaultVersionId }),
      );
      if (PolicyVersion?.Document) documents.push(PolicyVersion.Document);
    }
  }
  return documents.flatMap((document) => parsePolicyDocument(decodeURIComponent(document)));
}

/** The Allow and Deny statements of a policy document with Action and Resource (NotAction/NotResource are skipped). */
export function parsePolicyDocument(json: string): PolicyStatement[] {
  const document = JSON.parse(json) as { Statement?: unknown };
  const statements = Array.isArray(document.Statement) ? document.Statement : [document.Statement];
  return statements.flatMap((raw) => {
    const statement = raw as Record<string, unknown>;
    if (statement.Effect !== 'Allow' && statement.Effect !== 'Deny') return [];
    if (statement.Action === undefined || statement.Resource === undefined) return [];
    return [
      {
        effect: statement.Effect,
        actions: asList(statement.Action),
        resources: asList(statement.Resource),
        conditional: statement.Condition !== undefined,
      },
    ];
  });
}

function asList(value: unknown): string[] {
  return (Array.isArray(value) ? value : [value]).filter((entry): entry is string => typeof entry === 'string');
}

/** IAM's wildcard match: `*` any run of characters, `?` one; actions compare case-insensitively. */
export function wildcardMatch(pattern: string, value: string, ignoreCase = false): boolean {
  const source = pattern
    .split('')
    .map((character) =>
      character === '*' ? '.*' : character === '?' ? '.' : character.replace(/[.+^${}()|[\]\\]/, '\\$&'),
    )
    .join('');
  return new RegExp(`^${source}$`, ignoreCase ? 'i' : '').test(value);
}

/** `allowed`: an unconditional Allow and no Deny; `conditional`: only a conditional Allow; `denied` otherwise. */
export type Decision = 'allowed' | 'conditional' | 'denied';

/** Whether the statements let the role call `action` on `resource` (identity policies only). */
export function decide(statements: readonly PolicyStatement[], action: string, resource: string): Decision {
  const matching = statements.filter(
    (statement) =>
      statement.actions.some((pattern) => wildcardMatch(pattern, action, true)) &&
      statement.resources.some((pattern) => wildcardMatch(pattern, resource)),
  );
  if (matching.some((statement) => statement.effect === 'Deny' && !statement.conditional)) return 'denied';
  const allows = matching.filter((statement) => statement.effect === 'Allow');
  if (allows.some((statement) => !statement.conditional)) return 'allowed';
  return allows.length > 0 ? 'conditional' : 'denied';
}

/** The least favourable of several decisions (every one must hold). */
export function all(decisions: readonly Decision[]): Decision {
  if (decisions.includes('denied')) return 'denied';
  return decisions.includes('conditional') ? 'conditional' : 'allowed';
}
