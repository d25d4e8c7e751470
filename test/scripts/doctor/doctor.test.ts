import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import {
  BedrockAgentCoreControlClient,
  GetMemoryCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-bedrock-agentcore-control';
import { GetFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { HttpResponse } from '@smithy/core/transport';
import { DEFAULT_NAMESPACES } from '../../../lambda/contract/index.js';
import { parseEnvironmentsContext } from '../../../lib/index.js';
import { getMemory } from '../../../scripts/doctor/deployed.js';
import { renderJson, renderText } from '../../../scripts/doctor/report.js';
import { synthesizeExpected } from '../../../scripts/doctor/synthesize.js';
import {
  cdkJson,
  MEMORY_ID,
  FUNCTION_NAME,
  FUNCTION_ARN,
  ROLE_ARN,
  MEMORY_ARN,
  AGENT_TABLE,
  EXPECTED,
  deployedStrategies,
  memoryOutput,
  DEFAULT_AGENT,
  cloudFormation,
  control,
  dynamo,
  lambda,
  stackOutputs,
  rolePolicy,
  givenRolePolicy,
  resetDoctorMocks,
  doctor,
  drifts,
} from './fixtures.js';

beforeEach(resetDoctorMocks);

describe('the doctor, when everything agrees', () => {
  test('exits 0 having checked the memory, every strategy, the agent items and the function', async () => {
    const report = await doctor();

    expect(report.exitCode).toBe(0);
    expect(drifts(report)).toEqual([]);
    const checks = report.findings.map((finding) => `${finding.check}:${finding.status}`);
    expect(checks).toEqual(
      expect.arrayContaining([
        'memory.status:ok',
        'memory.name:ok',
        'memory.eventExpiry:ok',
        'strategy.type:ok',
        'strategy.namespaces:ok',
        'agent.memoryActive:ok',
        'agent.retrieval:ok',
        'function.memoryId:ok',
        'strategy.status:ok',
        'agent.model:ok',
        'agent.memoryGranted:ok',
        'agent.isolation:ok',
      ]),
    );
    expect(checks.filter((check) => check === 'strategy.namespaces:ok')).toHaveLength(3);
    // The default retrieval config covers three prefixes written by a strategy, and the
    // episodes, which this memory has no strategy for: a note, not drift.
    expect(checks.filter((check) => check === 'agent.retrieval:ok')).toHaveLength(3);
    expect(checks).toContain('agent.retrieval:unknown');
    expect(cloudFormation.commandCalls(DescribeStacksCommand)[0].args[0].input).toEqual({
      StackName: 'AgentMemory-prod-Stateless',
    });
    expect(dynamo.commandCalls(ScanCommand)[0].args[0].input.TableName).toBe(AGENT_TABLE);
    expect(lambda.commandCalls(GetFunctionConfigurationCommand)[0].args[0].input).toEqual({
      FunctionName: FUNCTION_NAME,
    });
  });

  test('notes, without failing, that record expiry was not compared when GetMemory does not report it', async () => {
    const report = await doctor();
    const notes = report.findings.filter((finding) => finding.check === 'strategy.recordExpiry');
    expect(notes.map((note) => note.status)).toEqual(['unknown', 'unknown', 'unknown']);
    expect(renderText(report)).toContain('note  strategy session_summary: GetMemory did not report record expiry');
  });

  test('prints a JSON report for CI with --json', async () => {
    const parsed = JSON.parse(renderJson(await doctor()));
    expect(parsed).toMatchObject({ environment: 'prod', region: 'us-east-1', memoryId: MEMORY_ID, exitCode: 0 });
    expect(parsed.findings[0]).toEqual({
      check: 'memory.status',
      status: 'ok',
      message: `memory ${MEMORY_ID} is ACTIVE`,
    });
  });
});

describe('the doctor reports each kind of drift and exits 1', () => {
  test.each([
    [
      'a memory still being created',
      { status: 'CREATING' as const },
      'memory.status',
      'is CREATING: not ready yet; run again with --wait',
    ],
    [
      'a failed memory, with its reason',
      { status: 'FAILED' as const, failureReason: 'KMS key disabled' },
      'memory.status',
      'is FAILED: failed: KMS key disabled',
    ],
    ['another memory than the environment’s', { name: 'agent_memory_dev' }, 'memory.name', "not 'agent_memory_prod'"],
    ['a different event expiry', { eventExpiryDuration: 30 }, 'memory.eventExpiry', 'expected 90 days, deployed 30'],
  ])('%s', async (_case, overrides, check, message) => {
    control.on(GetMemoryCommand, { memoryId: MEMORY_ID }).resolves(memoryOutput(overrides));

    const report = await doctor();

    expect(report.exitCode).toBe(1);
    expect(drifts(report).map((finding) => finding.check)).toContain(check);
    expect(drifts(report).find((finding) => finding.check === check)!.message).toContain(message);
  });

  test('a memory that does not exist', async () => {
    control.on(GetMemoryCommand).rejects(new ResourceNotFoundException({ message: 'not found', $metadata: {} }));

    const report = await doctor();

    expect(report.exitCode).toBe(1);
    expect(drifts(report)[0]).toMatchObject({ check: 'memory.exists', expected: MEMORY_ID });
  });

  test('a strategy in the code but not deployed, and one deployed but not in the code', async () => {
    const strategies = deployedStrategies().filter((strategy) => strategy.name !== 'semantic_facts');
    strategies.push({
      strategyId: 'episodes-abcdefghij',
      name: 'episodes',
      type: 'EPISODIC',
      namespaces: ['/episodes/{actorId}/'],
      namespaceTemplates: ['/episodes/{actorId}/'],
    });
    control.on(GetMemoryCommand, { memoryId: MEMORY_ID }).resolves(memoryOutput({ strategies }));

    const report = await doctor();

    expect(report.exitCode).toBe(1);
    expect(drifts(report).map((finding) => [finding.check, finding.subject])).toEqual(
      expect.arrayContaining([
        ['strategy.missing', 'semantic_facts'],
        ['strategy.unexpected', 'episodes'],
      ]),
    );
  });

  test('a strategy of another type, and one writing to another namespace, each as expected vs deployed', async () => {
    const strategies = deployedStrategies();
    strategies[1] = { ...strategies[1], type: 'SEMANTIC' };
    strategies[2] = { ...strategies[2], namespaceTemplates: ['/knowledge/{actorId}/'] };
    control.on(GetMemoryCommand, { memoryId: MEMORY_ID }).resolves(memoryOutput({ strategies }));

    const report = await doctor();

    expect(drifts(report)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          check: 'strategy.type',
          subject: 'user_preference',
          expected: 'USER_PREFERENCE',
          deployed: 'SEMANTIC',
        }),
        expect.objectContaining({
          check: 'strategy.namespaces',
          subject: 'semantic_facts',
          expected: ['/facts/{actorId}/'],
          deployed: ['/knowledge/{actorId}/'],
        }),
      ]),
    );
    const text = renderText(report);
    expect(text).toContain('expected: ["/facts/{actorId}/"]');
    expect(text).toContain('deployed: ["/knowledge/{actorId}/"]');
  });

  test('a record expiry other than the code’s, when GetMemory reports it', async () => {
    const expected = {
      ...EXPECTED,
      memory: {
        ...EXPECTED.memory,
        strategies: EXPECTED.memory.strategies.map((strategy) => ({ ...strategy, recordExpiryDays: 365 })),
      },
    };
    const strategies = deployedStrategies().map((strategy, index) => ({
      ...strategy,
      recordExpirySpecification: index === 0 ? { recordExpiryDurationDays: 90 } : { recordExpiryDurationDays: 365 },
    }));
    control.on(GetMemoryCommand, { memoryId: MEMORY_ID }).resolves(memoryOutput({ strategies }));

    const report = await doctor({}, expected.memory);

    expect(report.exitCode).toBe(1);
    expect(report.findings.filter((finding) => finding.check === 'strategy.recordExpiry')).toEqual([
      expect.objectContaining({ status: 'drift', subject: 'session_summary', expected: 365, deployed: 90 }),
      expect.objectContaining({ status: 'ok', subject: 'user_preference' }),
      expect.objectContaining({ status: 'ok', subject: 'semantic_facts' }),
    ]);
  });

  test.each([
    [
      'memory enabled with no memory_id',
      { ...DEFAULT_AGENT, memory_feature: { enabled: true, memory_id: '' } },
      'agent.memoryId',
      'memory_id is empty',
    ],
    [
      'a memory that does not exist',
      { ...DEFAULT_AGENT, memory_feature: { enabled: true, memory_id: 'gone_memory-0123456789' } },
      'agent.memoryExists',
      'memory gone_memory-0123456789 does not exist',
    ],
    [
      'a retrieval namespace no strategy writes',
      {
        ...DEFAULT_AGENT,
        memory_feature: {
          enabled: true,
          memory_id: MEMORY_ID,
          retrieval: {
            '/preferences/{actorId}/': { top_k: 5, relevance_score: 0.3 },
            '/notes/{actorId}/': { top_k: 5, relevance_score: 0.3 },
          },
        },
      },
      'agent.retrieval',
      'retrieves /notes/{actorId}/, which no strategy of memory',
    ],
    [
      'a retrieval prefix longer than the template the strategy writes',
      {
        ...DEFAULT_AGENT,
        memory_feature: {
          enabled: true,
          memory_id: MEMORY_ID,
          retrieval: { '/facts/{actorId}/{sessionId}/': { top_k: 5, relevance_score: 0.3 } },
        },
      },
      'agent.retrieval',
      'retrieves /facts/{actorId}/{sessionId}/',
    ],
    [
      'an invalid memory_feature',
      { ...DEFAULT_AGENT, memory_feature: { enabled: 'yes', memory_id: MEMORY_ID } },
      'agent.memoryFeature',
      'memory_feature is invalid',
    ],
  ])('an agent item with %s', async (_case, item, check, message) => {
    dynamo.on(ScanCommand).resolves({ Items: [item] });

    const report = await doctor();

    expect(report.exitCode).toBe(1);
    // (A memory the role is not granted is its own finding, tested below.)
    const found = drifts(report).filter((finding) => finding.check !== 'agent.memoryGranted');
    expect(found).toEqual([expect.objectContaining({ check, subject: 'default' })]);
    expect(found[0].message).toContain(message);
  });

  test("a hand-written agent item whose retrieval, beside the memory's layout, could show one user another's memories", async () => {
    // The actorId 'x' would own '/facts/x/', which covers every user's '/facts/x/<actor>/'.
    const retrieval = { '/facts/x/{actorId}/': { top_k: 5, relevance_score: 0.3 } };
    dynamo
      .on(ScanCommand)
      .resolves({ Items: [{ ...DEFAULT_AGENT, memory_feature: { enabled: true, memory_id: MEMORY_ID, retrieval } }] });

    const report = await doctor();

    expect(report.exitCode).toBe(1);
    const isolation = drifts(report).filter((finding) => finding.check === 'agent.isolation');
    expect(isolation).toEqual([expect.objectContaining({ subject: 'default', deployed: ['/facts/x/{actorId}/'] })]);
    expect(isolation[0].message).toContain("could show one user another's memories");
    expect(isolation[0].message).toContain('/facts/x/{actorId}/');
  });

  test('an agent item whose memory is not ACTIVE, found on a later page of the table', async () => {
    const otherId = 'other_memory-0123456789';
    dynamo
      .on(ScanCommand)
      .resolvesOnce({ Items: [DEFAULT_AGENT], LastEvaluatedKey: { agent_id: 'default' } })
      .resolvesOnce({
        Items: [{ ...DEFAULT_AGENT, agent_id: 'support', memory_feature: { enabled: true, memory_id: otherId } }],
      });
    control.on(GetMemoryCommand, { memoryId: otherId }).resolves(memoryOutput({ id: otherId, status: 'UPDATING' }));
    givenRolePolicy(
      rolePolicy([
        { Effect: 'Allow', Action: 'bedrock-agentcore:*', Resource: MEMORY_ARN.replace(MEMORY_ID, otherId) },
      ]),
    );

    const report = await doctor();

    expect(report.exitCode).toBe(1);
    expect(drifts(report)).toEqual([
      expect.objectContaining({ check: 'agent.memoryActive', subject: 'support', deployed: 'UPDATING' }),
    ]);
  });

  test("accepts a retrieval prefix covering a template with the strategy's id in it", async () => {
    const strategies = deployedStrategies();
    strategies[2] = { ...strategies[2], namespaceTemplates: ['/strategies/{memoryStrategyId}/actors/{actorId}/'] };
    control.on(GetMemoryCommand, { memoryId: MEMORY_ID }).resolves(memoryOutput({ strategies }));
    const prefix = `/strategies/${strategies[2].strategyId}/actors/{actorId}/`;
    dynamo.on(ScanCommand).resolves({
      Items: [
        {
          ...DEFAULT_AGENT,
          memory_feature: {
            enabled: true,
            memory_id: MEMORY_ID,
            retrieval: { [prefix]: { top_k: 3, relevance_score: 0.2 } },
          },
        },
      ],
    });

    const report = await doctor();

    expect(report.findings.filter((finding) => finding.check === 'agent.retrieval')).toEqual([
      expect.objectContaining({ status: 'ok' }),
    ]);
  });

  test("a function whose MEMORY_ID is not the stack's memory", async () => {
    lambda.on(GetFunctionConfigurationCommand).resolves({
      FunctionName: FUNCTION_NAME,
      FunctionArn: FUNCTION_ARN,
      Role: ROLE_ARN,
      Environment: { Variables: { MEMORY_ID: 'old-0123456789' } },
    });

    const report = await doctor();

    expect(report.exitCode).toBe(1);
    expect(drifts(report)).toEqual([
      expect.objectContaining({ check: 'function.memoryId', expected: MEMORY_ID, deployed: 'old-0123456789' }),
    ]);
  });
});

describe('the doctor exits 2 when it cannot check, saying what to do', () => {
  test('when the stack is not deployed', async () => {
    cloudFormation.on(DescribeStacksCommand).rejects(
      Object.assign(new Error('Stack with id AgentMemory-prod-Stateless does not exist'), {
        name: 'ValidationError',
      }),
    );

    const report = await doctor();

    expect(report.exitCode).toBe(2);
    expect(report.error).toEqual({
      type: 'StackNotFound',
      message: expect.stringContaining(
        'AgentMemory-prod-Stateless does not exist in us-east-1: deploy it, pass --region',
      ),
    });
    expect(renderText(report)).toContain('Could not check (StackNotFound)');
  });

  test('when there are no credentials', async () => {
    cloudFormation
      .on(DescribeStacksCommand)
      .rejects(
        Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }),
      );

    const report = await doctor();

    expect(report.exitCode).toBe(2);
    expect(report.error?.type).toBe('NoCredentials');
    expect(report.error?.message).toContain('set AWS_PROFILE');
  });

  test('when access is denied, naming the permissions the doctor needs', async () => {
    control
      .on(GetMemoryCommand)
      .rejects(
        Object.assign(new Error('User is not authorized to perform GetMemory'), { name: 'AccessDeniedException' }),
      );

    const report = await doctor();

    expect(report.exitCode).toBe(2);
    expect(report.error?.message).toContain('bedrock-agentcore:GetMemory');
  });

  test('when the stack has no MemoryId output', async () => {
    stackOutputs({ AgentTableName: AGENT_TABLE });

    const report = await doctor();

    expect(report.exitCode).toBe(2);
    expect(report.error?.message).toContain('has no MemoryId output');
  });
});

describe('the doctor with --memory-id', () => {
  test('checks that memory alone when the stack is not deployed, and says so', async () => {
    cloudFormation.on(DescribeStacksCommand).rejects(
      Object.assign(new Error('Stack with id AgentMemory-prod-Stateless does not exist'), {
        name: 'ValidationError',
      }),
    );

    const report = await doctor({ memoryId: MEMORY_ID });

    expect(report.exitCode).toBe(0);
    expect(report.findings[0]).toMatchObject({ check: 'stack.outputs', status: 'unknown' });
    expect(dynamo.commandCalls(ScanCommand)).toHaveLength(0);
  });
});

describe('GetMemory through the real client', () => {
  function clientAnswering(body: unknown) {
    return new BedrockAgentCoreControlClient({
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      requestHandler: {
        handle: async () => ({
          response: new HttpResponse({
            statusCode: 200,
            headers: { 'content-type': 'application/json' },
            body: Buffer.from(JSON.stringify(body)),
          }),
        }),
      },
    });
  }
  const wire = (strategy: Record<string, unknown>) => ({
    memory: {
      arn: `arn:aws:bedrock-agentcore:us-east-1:111122223333:memory/${MEMORY_ID}`,
      id: MEMORY_ID,
      name: 'agent_memory_prod',
      eventExpiryDuration: 90,
      status: 'ACTIVE',
      createdAt: 0,
      updatedAt: 0,
      strategies: [
        {
          strategyId: 'session_summary-abcdefghij',
          name: 'session_summary',
          type: 'SUMMARIZATION',
          namespaces: ['/summaries/{actorId}/{sessionId}/'],
          namespaceTemplates: ['/summaries/{actorId}/{sessionId}/'],
          ...strategy,
        },
      ],
    },
  });

  test("keeps the strategies' record expiry, which the SDK's model would drop", async () => {
    const memory = await getMemory(
      clientAnswering(wire({ recordExpirySpecification: { recordExpiryDurationDays: 120 } })),
      MEMORY_ID,
    );

    expect(memory).toMatchObject({ id: MEMORY_ID, status: 'ACTIVE', reportsRecordExpiry: true });
    expect(memory!.strategies).toEqual([
      {
        strategyId: 'session_summary-abcdefghij',
        name: 'session_summary',
        type: 'SUMMARIZATION',
        namespaceTemplates: ['/summaries/{actorId}/{sessionId}/'],
        recordExpiryDays: 120,
      },
    ]);
  });

  test('says when the response carries no record expiry at all', async () => {
    const memory = await getMemory(clientAnswering(wire({})), MEMORY_ID);

    expect(memory?.reportsRecordExpiry).toBe(false);
    expect(memory?.strategies[0].recordExpiryDays).toBeUndefined();
  });
});

describe('the expected memory', () => {
  test("is read from the environment's synthesized template, strategies and all", () => {
    const config = parseEnvironmentsContext(cdkJson.context.environments).find((c) => c.name === 'dev')!;
    const expected = synthesizeExpected(config, cdkJson.context);

    expect(expected.statelessStackName).toBe('AgentMemory-dev-Stateless');
    expect(expected.memory.name).toBe('agent_memory_dev');
    expect(expected.memory.eventExpiryDays).toBe(
      parseEnvironmentsContext(cdkJson.context.environments).find((c) => c.name === 'dev')!.eventExpiryDays,
    );
    expect(expected.memory.strategies).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'SUMMARIZATION', namespaceTemplates: [DEFAULT_NAMESPACES.summary] }),
        expect.objectContaining({ type: 'USER_PREFERENCE', namespaceTemplates: [DEFAULT_NAMESPACES.userPreference] }),
        expect.objectContaining({ type: 'SEMANTIC', namespaceTemplates: [DEFAULT_NAMESPACES.semantic] }),
      ]),
    );
  });
});
