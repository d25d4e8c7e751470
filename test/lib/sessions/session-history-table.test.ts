import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { SessionHistoryTable } from '../../../lib/index.js';
import { nagFindings } from '../nag.js';

describe('SessionHistoryTable', () => {
  const stack = new Stack(new App(), 'Stack');
  const sessions = new SessionHistoryTable(stack, 'Sessions');
  const role = new iam.Role(stack, 'Runtime', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  sessions.grantSessionRuntime(role);
  const template = Template.fromStack(stack);
  const tableLogicalId = stack.getLogicalId(sessions.table.node.defaultChild as never);

  test('is keyed by session_id and sk, expires items on expires_at, on demand with point-in-time recovery', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: 'session_id', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      TimeToLiveSpecification: { AttributeName: 'expires_at', Enabled: true },
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
  });

  test('has an owner index keyed by user_id, keys only, so forgetting finds every item of a user without a scan', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      AttributeDefinitions: [
        { AttributeName: 'session_id', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
        { AttributeName: 'user_id', AttributeType: 'S' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'by-owner',
          KeySchema: [{ AttributeName: 'user_id', KeyType: 'HASH' }],
          Projection: { ProjectionType: 'KEYS_ONLY' },
        },
      ],
    });
  });

  test('is retained by default', () => {
    template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  test('grantSessionRuntime grants exactly Query, UpdateItem and PutItem on the table, not on its owner index', () => {
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
      (policy) => policy.Properties.PolicyDocument.Statement,
    );
    expect(statements).toEqual([
      {
        Effect: 'Allow',
        Action: ['dynamodb:Query', 'dynamodb:UpdateItem', 'dynamodb:PutItem', 'dynamodb:GetItem'],
        Resource: { 'Fn::GetAtt': [tableLogicalId, 'Arn'] },
      },
    ]);
  });

  test('grantForget grants exactly Query and DeleteItem on the table and Query on the owner index', () => {
    const forgetStack = new Stack(new App(), 'Stack');
    const table = new SessionHistoryTable(forgetStack, 'Sessions');
    const forgetter = new iam.Role(forgetStack, 'Forget', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    });
    table.grantForget(forgetter);
    const tableArn = { 'Fn::GetAtt': [forgetStack.getLogicalId(table.table.node.defaultChild as never), 'Arn'] };
    const statements = Object.values(Template.fromStack(forgetStack).findResources('AWS::IAM::Policy')).flatMap(
      (policy) => policy.Properties.PolicyDocument.Statement,
    );
    expect(statements).toEqual([
      { Effect: 'Allow', Action: ['dynamodb:Query', 'dynamodb:DeleteItem'], Resource: tableArn },
      { Effect: 'Allow', Action: 'dynamodb:Query', Resource: { 'Fn::Join': ['', [tableArn, '/index/by-owner']] } },
    ]);
  });

  test('has no AwsSolutions or Serverless findings', () => {
    expect(nagFindings(stack)).toEqual([]);
  });
});

describe('SessionHistoryTable options', () => {
  test('applies a destroy removal policy', () => {
    const stack = new Stack(new App(), 'Stack');
    new SessionHistoryTable(stack, 'Sessions', { removalPolicy: RemovalPolicy.DESTROY });
    Template.fromStack(stack).hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Delete',
      UpdateReplacePolicy: 'Delete',
    });
  });

  test('encrypts with a customer-managed key and grants the runtime its use', () => {
    const stack = new Stack(new App(), 'Stack');
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    const sessions = new SessionHistoryTable(stack, 'Sessions', { encryptionKey: key });
    const role = new iam.Role(stack, 'Runtime', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    sessions.grantSessionRuntime(role);
    const template = Template.fromStack(stack);
    const keyArn = { 'Fn::GetAtt': [stack.getLogicalId(key.node.defaultChild as kms.CfnKey), 'Arn'] };
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: keyArn },
    });
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
      (policy) => policy.Properties.PolicyDocument.Statement,
    );
    expect(statements).toContainEqual({
      Effect: 'Allow',
      Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*'],
      Resource: keyArn,
    });
  });
});
