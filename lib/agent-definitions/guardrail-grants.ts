import { Stack, Token } from 'aws-cdk-lib';
import type * as bedrock from 'aws-cdk-lib/aws-bedrock';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';

/** The Bedrock action a model call with a guardrail needs on the guardrail. */
export const GUARDRAIL_RUNTIME_ACTIONS: readonly string[] = ['bedrock:ApplyGuardrail'];

/** The ARN `bedrock:ApplyGuardrail` is granted on: the construct's, the ARN given, or the id's in this stack. */
export function guardrailArnOf(scope: Construct, guardrail: bedrock.IGuardrailRef | string): string {
  if (typeof guardrail !== 'string') return guardrail.guardrailRef.guardrailArn;
  if (Token.isUnresolved(guardrail) || guardrail.startsWith('arn:')) return guardrail;
  return Stack.of(scope).formatArn({ service: 'bedrock', resource: 'guardrail', resourceName: guardrail });
}

export function grantGuardrail(grantee: iam.IGrantable, guardrailArn: string): void {
  iam.Grant.addToPrincipal({ grantee, actions: [...GUARDRAIL_RUNTIME_ACTIONS], resourceArns: [guardrailArn] });
}
