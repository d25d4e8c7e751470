/** The doctor's stand-ins: mocked AWS clients answering as a deployed `prod` that agrees with the code. */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  BedrockAgentCoreControlClient,
  GetMemoryCommand,
  ResourceNotFoundException,
  type GetMemoryCommandOutput,
} from '@aws-sdk/client-bedrock-agentcore-control';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  GetRolePolicyCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
} from '@aws-sdk/client-iam';
import { GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { DEFAULT_NAMESPACES } from '../../../lambda/contract/index.js';
import { parseEnvironmentsContext } from '../../../lib/index.js';
import { runDoctor, type DoctorOptions } from '../../../scripts/doctor/doctor.js';
import type { ExpectedEnvironment, ExpectedMemory } from '../../../scripts/doctor/expected.js';

export const ROOT = path.join(__dirname, '..', '..', '..');
export const cdkJson = JSON.parse(readFileSync(path.join(ROOT, 'cdk.json'), 'utf8')) as {
  context: Record<string, unknown>;
};

export const MEMORY_ID = 'agent_memory_prod-AbCdEf1234';
export const FUNCTION_NAME = 'AgentMemory-prod-Stateless-ConverseABC';
export const FUNCTION_ARN = `arn:aws:lambda:us-east-1:111122223333:function:${FUNCTION_NAME}`;
export const ROLE_ARN = 'arn:aws:iam::111122223333:role/AgentMemory-prod-Stateless-ConverseRoleABC';
export const MEMORY_ARN = `arn:aws:bedrock-agentcore:us-east-1:111122223333:memory/${MEMORY_ID}`;
export const AGENT_TABLE = 'AgentMemory-prod-Stateful-AgentDefinitions';

/** What the code says prod's memory is (the synthesized template, reduced). */
export const EXPECTED: ExpectedEnvironment = {
  config: parseEnvironmentsContext({ prod: { models: ['amazon.nova-pro-v1:0'] } })[0],
  statefulStackName: 'AgentMemory-prod-Stateful',
  statelessStackName: 'AgentMemory-prod-Stateless',
  memory: {
    name: 'agent_memory_prod',
    eventExpiryDays: 90,
    strategies: [
      { name: 'session_summary', type: 'SUMMARIZATION', namespaceTemplates: [DEFAULT_NAMESPACES.summary] },
      { name: 'user_preference', type: 'USER_PREFERENCE', namespaceTemplates: [DEFAULT_NAMESPACES.userPreference] },
      { name: 'semantic_facts', type: 'SEMANTIC', namespaceTemplates: [DEFAULT_NAMESPACES.semantic] },
    ],
  },
};

export type Strategy = NonNullable<NonNullable<GetMemoryCommandOutput['memory']>['strategies']>[number] & {
  recordExpirySpecification?: { recordExpiryDurationDays?: number } | null;
};

export function deployedStrategies(): Strategy[] {
  return EXPECTED.memory.strategies.map((strategy, index) => ({
    strategyId: `${strategy.name}-abcdefghi${index}`,
    name: strategy.name,
    type: strategy.type as Strategy['type'],
    namespaces: strategy.namespaceTemplates,
    namespaceTemplates: strategy.namespaceTemplates,
    status: 'ACTIVE' as const,
  }));
}

export function memoryOutput(overrides: Partial<NonNullable<GetMemoryCommandOutput['memory']>> = {}) {
  return {
    memory: {
      arn: `arn:aws:bedrock-agentcore:us-east-1:111122223333:memory/${MEMORY_ID}`,
      id: MEMORY_ID,
      name: 'agent_memory_prod',
      eventExpiryDuration: 90,
      status: 'ACTIVE' as const,
      createdAt: new Date(0),
      updatedAt: new Date(0),
      strategies: deployedStrategies(),
      ...overrides,
    },
  };
}

export const DEFAULT_AGENT = {
  agent_id: 'default',
  base_prompt: 'You are a helpful assistant.',
  foundation_model: 'amazon.nova-pro-v1:0',
  memory_feature: { enabled: true, memory_id: MEMORY_ID },
};

// Mocked per instance, so a test can still run a real client of its own.
export const clients = {
  cloudFormation: new CloudFormationClient({ region: 'us-east-1' }),
  control: new BedrockAgentCoreControlClient({ region: 'us-east-1' }),
  dynamo: DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' })),
  lambda: new LambdaClient({ region: 'us-east-1' }),
  iam: new IAMClient({ region: 'us-east-1' }),
};
export const cloudFormation = mockClient(clients.cloudFormation);
export const iam = mockClient(clients.iam);
export const control = mockClient(clients.control);
export const dynamo = mockClient(clients.dynamo);
export const lambda = mockClient(clients.lambda);

export function stackOutputs(outputs: Record<string, string>) {
  cloudFormation.on(DescribeStacksCommand).resolves({
    Stacks: [
      {
        StackName: EXPECTED.statelessStackName,
        StackStatus: 'UPDATE_COMPLETE',
        CreationTime: new Date(0),
        Outputs: Object.entries(outputs).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue })),
      },
    ],
  });
}

/** The converse role's inline policy as CDK writes it: the models of `prod`, and the memory. */
export function rolePolicy(statements: Record<string, unknown>[] = []) {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'],
        Resource: 'arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-pro-v1:0',
      },
      {
        Effect: 'Allow',
        Action: ['bedrock-agentcore:CreateEvent', 'bedrock-agentcore:RetrieveMemoryRecords'],
        Resource: MEMORY_ARN,
      },
      ...statements,
    ],
  };
}

export function givenRolePolicy(document: unknown) {
  iam.on(ListRolePoliciesCommand).resolves({ PolicyNames: ['ConverseRoleDefaultPolicy'] });
  iam
    .on(GetRolePolicyCommand)
    .resolves({ RoleName: 'r', PolicyName: 'p', PolicyDocument: encodeURIComponent(JSON.stringify(document)) });
  iam.on(ListAttachedRolePoliciesCommand).resolves({ AttachedPolicies: [] });
}

/** Every mock as for a deployment that agrees with the code. */
export function resetDoctorMocks() {
  cloudFormation.reset();
  control.reset();
  dynamo.reset();
  lambda.reset();
  iam.reset();
  stackOutputs({ MemoryId: MEMORY_ID, AgentTableName: AGENT_TABLE, ConverseFunctionName: FUNCTION_NAME });
  control.on(GetMemoryCommand).rejects(new ResourceNotFoundException({ message: 'Memory not found', $metadata: {} }));
  control.on(GetMemoryCommand, { memoryId: MEMORY_ID }).resolves(memoryOutput());
  dynamo.on(ScanCommand).resolves({ Items: [DEFAULT_AGENT] });
  lambda.on(GetFunctionConfigurationCommand).resolves({
    FunctionName: FUNCTION_NAME,
    FunctionArn: FUNCTION_ARN,
    Role: ROLE_ARN,
    Environment: { Variables: { MEMORY_ID: MEMORY_ID } },
  });
  givenRolePolicy(rolePolicy());
}

export function doctor(options: Partial<DoctorOptions> = {}, expected: ExpectedMemory | undefined = EXPECTED.memory) {
  return runDoctor(
    { region: 'us-east-1', environment: 'prod', stackName: EXPECTED.statelessStackName, expected, ...options },
    clients,
  );
}

export const drifts = (report: Awaited<ReturnType<typeof doctor>>) =>
  report.findings.filter((finding) => finding.status === 'drift');
