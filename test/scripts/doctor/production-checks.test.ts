import { GetMemoryCommand } from '@aws-sdk/client-bedrock-agentcore-control';
import { ListRolePoliciesCommand } from '@aws-sdk/client-iam';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { renderJson, renderText } from '../../../scripts/doctor/report.js';
import { decide, parsePolicyDocument, wildcardMatch } from '../../../scripts/doctor/role-policy.js';
import {
  control,
  DEFAULT_AGENT,
  deployedStrategies,
  doctor,
  drifts,
  dynamo,
  givenRolePolicy,
  iam,
  MEMORY_ARN,
  MEMORY_ID,
  memoryOutput,
  resetDoctorMocks,
  rolePolicy,
} from './fixtures.js';

beforeEach(resetDoctorMocks);

const findingsOf = (report: Awaited<ReturnType<typeof doctor>>, check: string) =>
  report.findings.filter((finding) => finding.check === check);

describe('the region checked', () => {
  test('is in the header and in the JSON', async () => {
    const report = await doctor({ region: 'eu-central-1' });
    expect(renderText(report).split('\n')[0]).toBe(
      `AgentCore memory doctor: region eu-central-1, environment prod, stack AgentMemory-prod-Stateless, memory ${MEMORY_ID}`,
    );
    expect(JSON.parse(renderJson(report)).region).toBe('eu-central-1');
  });
});

describe('each strategy’s own status', () => {
  test.each(['CREATING', 'FAILED', 'DELETING'] as const)('a strategy %s is drift', async (status) => {
    const strategies = deployedStrategies();
    strategies[1] = { ...strategies[1], status };
    control.on(GetMemoryCommand, { memoryId: MEMORY_ID }).resolves(memoryOutput({ strategies }));

    const report = await doctor();

    expect(report.exitCode).toBe(1);
    expect(drifts(report)).toEqual([
      expect.objectContaining({
        check: 'strategy.status',
        subject: 'user_preference',
        expected: 'ACTIVE',
        deployed: status,
      }),
    ]);
  });

  test('every strategy ACTIVE passes, also without anything to compare with', async () => {
    const report = await doctor({ expected: undefined });

    expect(report.exitCode).toBe(0);
    expect(findingsOf(report, 'strategy.status').map((finding) => finding.status)).toEqual(['ok', 'ok', 'ok']);
    expect(findingsOf(report, 'memory.expected')).toEqual([expect.objectContaining({ status: 'unknown' })]);
    expect(findingsOf(report, 'memory.name')).toEqual([]);
  });
});

describe("each agent's model against the models the function's role may call", () => {
  test('a model the role allows passes', async () => {
    const report = await doctor();
    expect(findingsOf(report, 'agent.model')).toEqual([
      expect.objectContaining({
        status: 'ok',
        subject: 'default',
        message: expect.stringContaining('amazon.nova-pro-v1:0'),
      }),
    ]);
  });

  test('a model outside the role’s policy is drift, named with the agent', async () => {
    dynamo.on(ScanCommand).resolves({
      Items: [
        DEFAULT_AGENT,
        { ...DEFAULT_AGENT, agent_id: 'support', foundation_model: 'anthropic.claude-3-5-haiku-20241022-v1:0' },
      ],
    });

    const report = await doctor();

    expect(report.exitCode).toBe(1);
    expect(drifts(report)).toEqual([
      expect.objectContaining({
        check: 'agent.model',
        subject: 'support',
        deployed: 'model anthropic.claude-3-5-haiku-20241022-v1:0',
        message: expect.stringContaining(
          "the function's role may not use model anthropic.claude-3-5-haiku-20241022-v1:0",
        ),
      }),
    ]);
  });

  test('a cross-region inference profile needs the profile and its foundation model', async () => {
    const profile = 'us.anthropic.claude-3-5-haiku-20241022-v1:0';
    dynamo.on(ScanCommand).resolves({ Items: [{ ...DEFAULT_AGENT, foundation_model: profile }] });
    const profileStatement = {
      Effect: 'Allow',
      Action: 'bedrock:InvokeModelWithResponseStream',
      Resource: `arn:aws:bedrock:us-east-1:111122223333:inference-profile/${profile}`,
    };
    const foundationStatement = {
      Effect: 'Allow',
      Action: 'bedrock:InvokeModel*',
      Resource: 'arn:aws:bedrock:*::foundation-model/anthropic.claude-3-5-haiku-20241022-v1:0',
    };

    givenRolePolicy(rolePolicy([profileStatement]));
    expect(findingsOf(await doctor(), 'agent.model')[0].status).toBe('drift');

    givenRolePolicy(rolePolicy([profileStatement, foundationStatement]));
    expect(findingsOf(await doctor(), 'agent.model')[0].status).toBe('ok');
  });

  test('an explicit Deny wins, and an Allow under a condition is a note', async () => {
    givenRolePolicy(rolePolicy([{ Effect: 'Deny', Action: 'bedrock:*', Resource: '*' }]));
    expect(findingsOf(await doctor(), 'agent.model')[0].status).toBe('drift');

    givenRolePolicy({
      Statement: [
        {
          Effect: 'Allow',
          Action: 'bedrock:InvokeModelWithResponseStream',
          Resource: '*',
          Condition: { StringEquals: { 'aws:RequestedRegion': 'us-east-1' } },
        },
        { Effect: 'Allow', Action: 'bedrock-agentcore:*', Resource: MEMORY_ARN },
      ],
    });
    const report = await doctor();
    expect(findingsOf(report, 'agent.model')[0].status).toBe('unknown');
    expect(report.exitCode).toBe(0);
  });
});

describe("each agent's memory against the memories the function's role may use", () => {
  const otherId = 'other_memory-0123456789';
  beforeEach(() => {
    control.on(GetMemoryCommand, { memoryId: otherId }).resolves(memoryOutput({ id: otherId }));
    dynamo.on(ScanCommand).resolves({
      Items: [
        DEFAULT_AGENT,
        { ...DEFAULT_AGENT, agent_id: 'support', memory_feature: { enabled: true, memory_id: otherId } },
      ],
    });
  });

  test('a memory the role may not use is drift', async () => {
    const report = await doctor();

    expect(report.exitCode).toBe(1);
    expect(drifts(report)).toEqual([
      expect.objectContaining({
        check: 'agent.memoryGranted',
        subject: 'support',
        message: expect.stringContaining(`the function's role may not use memory ${otherId}`),
      }),
    ]);
  });

  test('a memory granted both calls the function makes passes; one of them is not enough', async () => {
    const otherArn = MEMORY_ARN.replace(MEMORY_ID, otherId);
    givenRolePolicy(
      rolePolicy([{ Effect: 'Allow', Action: 'bedrock-agentcore:RetrieveMemoryRecords', Resource: otherArn }]),
    );
    expect(drifts(await doctor()).map((finding) => finding.check)).toEqual(['agent.memoryGranted']);

    givenRolePolicy(rolePolicy([{ Effect: 'Allow', Action: 'bedrock-agentcore:*', Resource: otherArn }]));
    const report = await doctor();
    expect(report.exitCode).toBe(0);
    expect(findingsOf(report, 'agent.memoryGranted').map((finding) => finding.status)).toEqual(['ok', 'ok']);
  });

  test('a role whose policies cannot be read is a note naming the IAM permissions, not a failure', async () => {
    iam.on(ListRolePoliciesCommand).rejects(Object.assign(new Error('not authorized'), { name: 'AccessDenied' }));

    const report = await doctor();

    expect(report.exitCode).toBe(0);
    expect(findingsOf(report, 'function.role')).toEqual([
      expect.objectContaining({ status: 'unknown', message: expect.stringContaining('iam:GetRolePolicy') }),
    ]);
    expect(findingsOf(report, 'agent.memoryGranted')).toEqual([]);
  });
});

describe('policy evaluation', () => {
  test("IAM's wildcards, and actions compared without case", () => {
    expect(
      wildcardMatch(
        'arn:aws:bedrock:*::foundation-model/a.b-v1:0',
        'arn:aws:bedrock:eu-west-1::foundation-model/a.b-v1:0',
      ),
    ).toBe(true);
    expect(
      wildcardMatch('arn:aws:bedrock:us-east-?::foundation-model/*', 'arn:aws:bedrock:us-east-1::foundation-model/x'),
    ).toBe(true);
    expect(
      wildcardMatch(
        'arn:aws:bedrock:us-east-1::foundation-model/a.b',
        'arn:aws:bedrock:us-east-1::foundation-model/a.bc',
      ),
    ).toBe(false);
    expect(
      wildcardMatch(
        'arn:aws:bedrock:us-east-1::foundation-model/a.b',
        'arn:aws:bedrock:us-east-1::foundation-model/aXb',
      ),
    ).toBe(false);
    expect(
      decide(
        parsePolicyDocument('{"Statement":{"Effect":"Allow","Action":"Bedrock:invoke*","Resource":"*"}}'),
        'bedrock:InvokeModel',
        'x',
      ),
    ).toBe('allowed');
  });
});
