import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { bedrockInvokeGrants, type BedrockModelId } from '../models/bedrock-model-id.js';
import { acknowledgeNagRule, nagRendering } from '../nag/acknowledge.js';

/** The Bedrock actions behind Converse (InvokeModel) and ConverseStream (InvokeModelWithResponseStream). */
export const BEDROCK_INVOKE_ACTIONS: readonly string[] = [
  'bedrock:InvokeModel',
  'bedrock:InvokeModelWithResponseStream',
];

/** What Lambda calls to attach a function to a VPC (the actions of AWSLambdaVPCAccessExecutionRole). */
export const VPC_ACCESS_ACTIONS: readonly string[] = [
  'ec2:CreateNetworkInterface',
  'ec2:DescribeNetworkInterfaces',
  'ec2:DescribeSubnets',
  'ec2:DeleteNetworkInterface',
  'ec2:AssignPrivateIpAddresses',
  'ec2:UnassignPrivateIpAddresses',
];

/**
 * Grants `bedrock:InvokeModel*` on every model: a foundation model directly; a profile's
 * foundation models only with the `bedrock:InferenceProfileArn` of that profile.
 */
export function grantModels(role: iam.Role, models: BedrockModelId[]): void {
  const stack = Stack.of(role);
  const direct = new Set<string>();
  const throughProfile = new Map<string, Set<string>>();
  for (const grant of models.flatMap((model) => bedrockInvokeGrants(stack, model))) {
    if (grant.throughInferenceProfile === undefined) grant.resources.forEach((arn) => direct.add(arn));
    else {
      const resources = throughProfile.get(grant.throughInferenceProfile) ?? new Set<string>();
      grant.resources.forEach((arn) => resources.add(arn));
      throughProfile.set(grant.throughInferenceProfile, resources);
    }
  }
  if (direct.size > 0) {
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: [...BEDROCK_INVOKE_ACTIONS], resources: [...direct] }),
    );
  }
  for (const [profileArn, resources] of throughProfile) {
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: [...BEDROCK_INVOKE_ACTIONS],
        resources: [...resources],
        conditions: { StringEquals: { 'bedrock:InferenceProfileArn': profileArn } },
      }),
    );
  }
}

/**
 * The ENI actions Lambda needs for a function in a VPC, in a policy of their own so their
 * acknowledgment covers them alone. AWS supports no narrower resource for the Describe
 * actions, and Lambda creates the interfaces in subnets it picks from the configuration.
 */
export function grantVpcAccess(role: iam.Role): void {
  const policy = new iam.Policy(role, 'VpcAccessPolicy', {
    statements: [new iam.PolicyStatement({ actions: [...VPC_ACCESS_ACTIONS], resources: ['*'] })],
  });
  role.attachInlinePolicy(policy);
  acknowledgeNagRule(policy, {
    id: 'AwsSolutions-IAM5',
    appliesTo: 'Resource::*',
    reason:
      'Lambda attaches the function to its VPC through network interfaces it creates and deletes in the configured subnets; the EC2 Describe actions support no resource-level permissions, so AWS documents these actions (AWSLambdaVPCAccessExecutionRole) with Resource "*".',
  });
}

/**
 * Acknowledges the wildcards of the inference profiles' model grants, each for exactly
 * the foundation-model ARN it covers.
 */
export function acknowledgeProfileModels(role: iam.Role, models: BedrockModelId[]): void {
  const policy = role.node.findChild('DefaultPolicy');
  const stack = Stack.of(role);
  const profileModelArns = new Set(
    models
      .filter((model) => model.kind !== 'foundation-model')
      .flatMap((model) => bedrockInvokeGrants(stack, model))
      .filter((grant) => grant.throughInferenceProfile !== undefined)
      .flatMap((grant) => grant.resources.map((arn) => nagRendering(policy, arn))),
  );
  for (const arn of profileModelArns) {
    acknowledgeNagRule(policy, {
      id: 'AwsSolutions-IAM5',
      appliesTo: `Resource::${arn}`,
      reason: arn.endsWith('foundation-model/*')
        ? 'An application inference profile routes to foundation models its ARN does not name; the statement allows them only through the configured profile (condition bedrock:InferenceProfileArn), in any region the profile may route to.'
        : 'A cross-region inference profile routes each request to its foundation model in any region of the profile; the statement allows the named model only through the configured profile (condition bedrock:InferenceProfileArn), and the region is the only wildcard.',
    });
  }
}
