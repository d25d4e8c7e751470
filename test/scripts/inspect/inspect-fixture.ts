/**
 * A deployed memory for the inspect tests, on the shared AgentCore stand-in: three
 * strategies, and two users whose namespaces are adjacent (`u1` and `u10`), each with
 * records in every strategy and a few sessions of conversation. The CLI runs against it
 * through its own dependencies (no credentials, no network).
 */
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { BedrockAgentCoreClient, ListSessionsCommand } from '@aws-sdk/client-bedrock-agentcore';
import { BedrockAgentCoreControlClient } from '@aws-sdk/client-bedrock-agentcore-control';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import type { CommandIo } from '../../../scripts/cli/command-line.js';
import type { InspectCliDependencies } from '../../../scripts/inspect/subcommand.js';
import { installControlStandIn, installFakeAgentCore, type FakeAgentCore } from '../../support/agentcore-stand-in.js';

export const MEMORY_ID = 'agent_memory_dev-a1b2c3d4e5';

export const STRATEGIES = [
  { strategyId: 'facts-1a2b3c', type: 'SEMANTIC', namespaceTemplates: ['/facts/{actorId}/'] },
  { strategyId: 'preferences-4d5e6f', type: 'USER_PREFERENCE', namespaceTemplates: ['/preferences/{actorId}/'] },
  { strategyId: 'summaries-7a8b9c', type: 'SUMMARIZATION', namespaceTemplates: ['/summaries/{actorId}/{sessionId}/'] },
] as const;

const day = (date: string) => new Date(`${date}T09:30:00Z`);

/** Each user's records: [strategy, namespace, text, created]. */
const RECORDS = [
  ['facts-1a2b3c', '/facts/u1/', 'Works night shifts as a nurse in Lyon.', '2026-10-02'],
  ['facts-1a2b3c', '/facts/u1/', 'Has a beagle called Biscuit.', '2026-10-14'],
  ['preferences-4d5e6f', '/preferences/u1/', 'Prefers window seats on long flights.', '2026-11-03'],
  ['preferences-4d5e6f', '/preferences/u1/', 'Likes short answers, in French when possible.', '2026-11-20'],
  [
    'summaries-7a8b9c',
    '/summaries/u1/trip-lisbon/',
    'Planned a May trip to Lisbon and asked for flights with a window seat.',
    '2026-11-21',
  ],
  ['facts-1a2b3c', '/facts/u10/', 'Is allergic to peanuts.', '2026-10-05'],
  ['preferences-4d5e6f', '/preferences/u10/', 'Prefers aisle seats.', '2026-11-04'],
] as const;

/** Each user's sessions: [actor, session, first message time, messages (user, assistant, ...)]. */
const SESSIONS = [
  [
    'u1',
    'trip-lisbon',
    '2026-11-21T18:02:00Z',
    [
      'Find me a flight to Lisbon in May, window seat please.',
      'Here are three morning flights from Lyon with window seats left.',
    ],
  ],
  [
    'u1',
    'dog-sitter',
    '2026-12-01T07:45:00Z',
    ['Who could look after Biscuit next weekend?', 'Two sitters near you are free on Saturday.'],
  ],
  ['u10', 'menu', '2026-11-30T12:00:00Z', ['Is the satay safe for me?', 'No: it is made with peanuts.']],
] as const;

export interface InspectFixture {
  readonly standIn: FakeAgentCore;
  readonly dependencies: InspectCliDependencies;
  /** A fresh directory for audit logs and exports. */
  readonly directory: string;
  readonly auditLogPath: string;
  /** The ids of the records, by text. */
  readonly recordId: (text: string) => string;
  /** The audit log's entries so far. */
  readonly audit: () => Record<string, unknown>[];
  readonly calls: () => string[];
}

/** Mocks the AWS clients (the stand-in behind them) and fills the memory. Call in beforeEach. */
export function inspectFixture(overrides: Partial<InspectCliDependencies> = {}): InspectFixture {
  const agentCoreMock = mockClient(BedrockAgentCoreClient);
  const controlMock = mockClient(BedrockAgentCoreControlClient);
  const standIn = installFakeAgentCore(agentCoreMock, MEMORY_ID, 2, { payloadsAllowed: true });
  installControlStandIn(controlMock, MEMORY_ID, STRATEGIES);
  const ids = new Map<string, string>();
  for (const [strategyId, namespace, text, created] of RECORDS) {
    ids.set(text, standIn.addRecord(namespace, { strategyId, text, createdAt: day(created) }));
  }
  for (const [actorId, sessionId, start, messages] of SESSIONS) {
    messages.forEach((text, index) =>
      standIn.events.push({
        actorId,
        sessionId,
        eventId: `${sessionId}-${index}`,
        eventTimestamp: new Date(Date.parse(start) + index * 40_000),
        // ListEvents answers newest first.
        payload: [{ conversational: { role: index % 2 === 0 ? 'USER' : 'ASSISTANT', content: { text } } }],
      }),
    );
  }
  standIn.events.reverse();
  // The stand-in dates every session at the epoch; a timeline reads better with each session's first event.
  agentCoreMock.on(ListSessionsCommand).callsFake((input: { actorId?: string; memoryId?: string }) => ({
    sessionSummaries: SESSIONS.filter(([actorId]) => actorId === input.actorId).map(([actorId, sessionId, start]) => ({
      sessionId,
      actorId,
      createdAt: new Date(start),
    })),
  }));

  const directory = mkdtempSync(path.join(tmpdir(), 'agentcore-inspect-'));
  const auditLogPath = path.join(directory, 'audit.jsonl');
  const region = 'eu-west-1';
  const dependencies: InspectCliDependencies = {
    access: async () => ({ region, credentials: async () => ({ accessKeyId: 'a', secretAccessKey: 'b' }) }),
    clientsFor: () => ({
      agentCore: new BedrockAgentCoreClient({ region }),
      control: new BedrockAgentCoreControlClient({ region }),
      dynamo: DynamoDBDocumentClient.from(new DynamoDBClient({ region })),
      cloudFormation: new CloudFormationClient({ region }),
    }),
    interactive: false,
    ...overrides,
  };
  return {
    standIn,
    dependencies,
    directory,
    auditLogPath,
    recordId: (text) => {
      const id = ids.get(text);
      if (id === undefined) throw new Error(`no record with text ${text}`);
      return id;
    },
    audit: () =>
      existsSync(auditLogPath)
        ? readFileSync(auditLogPath, 'utf8')
            .trim()
            .split('\n')
            .map((line) => JSON.parse(line) as Record<string, unknown>)
        : [],
    calls: () => [...standIn.calls],
  };
}

/** An io that collects what a command writes. */
export function collectingIo(): CommandIo & { out: () => string; err: () => string } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout: (text) => stdout.push(text),
    stderr: (text) => stderr.push(text),
    out: () => stdout.join(''),
    err: () => stderr.join(''),
  };
}

/** The options that name the fixture's memory for user `user`. */
export const target = (user = 'u1') => ['--user', user, '--memory-id', MEMORY_ID];
