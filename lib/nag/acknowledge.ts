import { CfnResource, Stack, Token, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** One rule the package acknowledges on a construct it creates. */
export interface NagAcknowledgment {
  /** The rule id, for example `AwsSolutions-IAM5` or `Serverless-LambdaDLQ`. */
  readonly id: string;
  /** Why the finding does not apply; shown to reviewers and in the template metadata. */
  readonly reason: string;
  /**
   * The finding the rule reports for this construct, for rules that report one per
   * wildcard (`Resource::...`, `Action::...`), exactly as cdk-nag renders it.
   * @default - the whole rule
   */
  readonly appliesTo?: string;
}

/** cdk-nag 2 suppression metadata on a CloudFormation resource. */
interface NagV2Rule {
  readonly id: string;
  readonly reason: string;
  readonly applies_to?: string[];
}

/**
 * Acknowledges a rule for cdk-nag 3 (`Validations`, bare finding id) and writes the same
 * acknowledgment as cdk-nag 2 `cdk_nag` metadata (`rules_to_suppress`) on the construct's
 * CloudFormation resource, so both versions accept it. Neither needs cdk-nag installed.
 */
export function acknowledgeNagRule(construct: IConstruct, acknowledgment: NagAcknowledgment): void {
  const { id, reason, appliesTo } = acknowledgment;
  Validations.of(construct).acknowledge({ id: appliesTo === undefined ? id : `${id}[${appliesTo}]`, reason });
  const resource = CfnResource.isCfnResource(construct) ? construct : construct.node.defaultChild;
  if (!resource || !CfnResource.isCfnResource(resource)) {
    throw new Error(`cannot acknowledge ${id} on ${construct.node.path}: it has no CloudFormation resource`);
  }
  const rules =
    (resource.getMetadata('cdk_nag') as { rules_to_suppress?: NagV2Rule[] } | undefined)?.rules_to_suppress ?? [];
  const existing = rules.find((rule) => rule.id === id && rule.reason === reason);
  const merged: NagV2Rule[] =
    existing && appliesTo !== undefined
      ? rules.map((rule) =>
          rule === existing ? { ...rule, applies_to: [...(rule.applies_to ?? []), appliesTo] } : rule,
        )
      : existing
        ? rules
        : [...rules, { id, reason, ...(appliesTo === undefined ? {} : { applies_to: [appliesTo] }) }];
  resource.addMetadata('cdk_nag', { rules_to_suppress: merged });
}

/**
 * The text cdk-nag reports for one IAM resource or action value of `scope`'s stack: the
 * value resolved as the stack renders it (a partition token, or `aws` under
 * `@aws-cdk/core:enablePartitionLiterals` with a known region), references written as
 * `<Ref>` and `<Id.Attr>`, joins flattened. An acknowledgment built from it matches in
 * every environment the stack is synthesized for.
 */
export function nagRendering(scope: IConstruct, value: string): string {
  if (!Token.isUnresolved(value)) return value;
  return flatten(Stack.of(scope).resolve(value));
}

function flatten(node: unknown): string {
  if (node === undefined) return '';
  if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/}/g, '>');
  const object = node as Record<string, unknown>;
  if ('Fn::Join' in object) {
    const [delimiter, items] = object['Fn::Join'] as [string, unknown[]];
    return items.map(flatten).join(delimiter);
  }
  if ('Fn::Sub' in object) return flatten(object['Fn::Sub']);
  if ('Fn::GetAtt' in object) {
    const [resource, attribute] = object['Fn::GetAtt'] as [unknown, unknown];
    return `<${flatten(resource)}.${flatten(attribute)}>`;
  }
  if ('Fn::ImportValue' in object) return flatten(object['Fn::ImportValue']);
  if ('Ref' in object) return `<${flatten(object.Ref)}>`;
  return JSON.stringify(node);
}
