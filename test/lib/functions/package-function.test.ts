import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { packageFunction, type PackageFunctionProps } from '../../../lib/functions/package-function.js';
import { nagFindings } from '../nag.js';

const NO_DLQ = 'Invoked synchronously: the caller gets the error.';
const UNTRACED = 'Runs once per deployment: its log group says all there is.';

function build(props: Partial<PackageFunctionProps> = {}) {
  const stack = new Stack(new App(), 'Stack');
  const built = packageFunction(stack, {
    purpose: 'Does one thing',
    code: lambda.Code.fromInline('exports.handler = async () => {};'),
    handler: 'index.handler',
    memorySize: 256,
    timeout: Duration.minutes(2),
    logRetention: logs.RetentionDays.ONE_WEEK,
    noDeadLetterQueueReason: NO_DLQ,
    ...props,
  });
  return { stack, built, template: Template.fromStack(stack) };
}

/** The cdk-nag 2 acknowledgments on the resource of the given type. */
function acknowledgments(template: Template, type: string): { id: string; reason: string; applies_to?: string[] }[] {
  const [resource] = Object.values(template.findResources(type));
  return (resource.Metadata?.cdk_nag?.rules_to_suppress ?? []) as never;
}

describe('a traced package function', () => {
  const { stack, built, template } = build();

  test('runs on ARM64 with active tracing, its own role and a log group destroyed with it', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Architectures: ['arm64'],
      MemorySize: 256,
      Timeout: 120,
      Handler: 'index.handler',
      TracingConfig: { Mode: 'Active' },
      Role: { 'Fn::GetAtt': [stack.getLogicalId(built.role.node.defaultChild as never), 'Arn'] },
      LoggingConfig: { LogGroup: { Ref: stack.getLogicalId(built.logGroup.node.defaultChild as never) } },
    });
    template.hasResourceProperties('AWS::IAM::Role', { Description: 'Does one thing' });
    template.hasResource('AWS::Logs::LogGroup', { Properties: { RetentionInDays: 7 }, DeletionPolicy: 'Delete' });
    expect(built.function.node.id).toBe('Resource');
  });

  test('acknowledges the dead-letter queue and the X-Ray wildcard, and leaves no finding', () => {
    expect(acknowledgments(template, 'AWS::Lambda::Function')).toContainEqual({
      id: 'Serverless-LambdaDLQ',
      reason: NO_DLQ,
    });
    expect(acknowledgments(template, 'AWS::IAM::Policy')).toEqual([
      expect.objectContaining({ id: 'AwsSolutions-IAM5', applies_to: ['Resource::*'] }),
    ]);
    expect(nagFindings(stack)).toEqual([]);
  });
});

describe('an untraced package function with ids of its own', () => {
  const { stack, template } = build({
    ids: { role: 'WriterRole', logGroup: 'WriterLogs', function: 'Writer' },
    untracedReason: UNTRACED,
    description: 'Writes',
  });

  test('has no tracing, and the ids given', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: 'Writes',
      TracingConfig: Match.absent(),
    });
    expect(stack.node.tryFindChild('Writer')).toBeDefined();
    expect(stack.node.tryFindChild('WriterRole')).toBeDefined();
    expect(stack.node.tryFindChild('WriterLogs')).toBeDefined();
  });

  test('acknowledges running untraced with the reason given, and no X-Ray wildcard', () => {
    expect(acknowledgments(template, 'AWS::Lambda::Function')).toContainEqual({
      id: 'Serverless-LambdaTracing',
      reason: UNTRACED,
    });
    expect(acknowledgments(template, 'AWS::IAM::Policy')).toEqual([]);
    expect(nagFindings(stack)).toEqual([]);
  });
});

test('a runtime the adopter sets is theirs to answer for: no latest-runtime acknowledgment', () => {
  const { template } = build({ runtime: lambda.Runtime.NODEJS_22_X });
  template.hasResourceProperties('AWS::Lambda::Function', { Runtime: 'nodejs22.x' });
  const ids = acknowledgments(template, 'AWS::Lambda::Function').map((rule) => rule.id);
  expect(ids).not.toContain('AwsSolutions-L1');
  expect(ids).not.toContain('Serverless-LambdaLatestVersion');
});
