/**
 * Shared setup for forget tests: the AgentCore stand-in behind aws-sdk-client-mock, a
 * session table in dynalite, and a user seeded the way the converse runtime leaves one.
 * Call `forgetHarness()` at the top of a test file; it registers its own hooks.
 */
import { BedrockAgentCoreClient } from '@aws-sdk/client-bedrock-agentcore';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { actorIdForUser } from '../../../lambda/contract/index.js';
import { type ForgetClients, type ForgetOptions, type ForgetTarget, forgetUser } from '../../../lambda/forget/index.js';
import { type FakeAgentCore, installFakeAgentCore } from '../../support/agentcore-stand-in.js';
import { allItems, createSessionTable, putSession } from './history-fixture.js';

const startDynalite: (options: { createTableMs: number }) => Server = require('dynalite');

export const MEMORY_ID = 'agent_memory_test-AbCdEf1234';
export const TEMPLATES = [
  '/summaries/{actorId}/{sessionId}/',
  '/preferences/{actorId}/',
  '/facts/{actorId}/',
  '/episodes/{actorId}/{sessionId}/',
  '/episodes/{actorId}/',
];
export const SESSIONS_PER_USER = 3;
export const EVENTS_PER_SESSION = 5;
export const TURNS_PER_SESSION = 2;

/** Retries and waits that take no time. */
export const noWait = {
  sleep: async () => undefined,
  retry: { attempts: 4, baseDelayMs: 1, sleep: async () => undefined },
};

export function forgetHarness() {
  const agentCoreMock = mockClient(BedrockAgentCoreClient);
  let server: Server;
  let tableCounter = 0;
  const state = {} as {
    dynamo: DynamoDBDocumentClient;
    agentCore: FakeAgentCore;
    target: ForgetTarget;
    clients: Partial<ForgetClients>;
  };

  beforeAll(async () => {
    server = startDynalite({ createTableMs: 0 });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    state.dynamo = DynamoDBDocumentClient.from(
      new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }),
    );
  });

  afterAll(async () => {
    agentCoreMock.restore();
    state.dynamo.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  beforeEach(async () => {
    agentCoreMock.reset();
    state.agentCore = installFakeAgentCore(agentCoreMock, MEMORY_ID);
    state.target = {
      memoryId: MEMORY_ID,
      sessionTableName: `sessions-${++tableCounter}`,
      namespaceTemplates: TEMPLATES,
    };
    state.clients = {};
    await createSessionTable(state.dynamo, state.target.sessionTableName);
  });

  /** Sessions with events and history, records in every namespace; resolves the session ids. */
  async function seedUser(userId: string, facts = 3): Promise<string[]> {
    const actorId = actorIdForUser(userId);
    const sessionIds: string[] = [];
    for (let index = 0; index < SESSIONS_PER_USER; index++) {
      const sessionId = `${actorId.replace(/[^a-zA-Z0-9]/g, '-')}-session-${index}`;
      sessionIds.push(sessionId);
      state.agentCore.addEvents(actorId, sessionId, EVENTS_PER_SESSION);
      await putSession(state.dynamo, state.target.sessionTableName, sessionId, userId, TURNS_PER_SESSION);
      state.agentCore.addRecord(`/summaries/${actorId}/${sessionId}/`);
      state.agentCore.addRecord(`/episodes/${actorId}/${sessionId}/`);
    }
    state.agentCore.addRecord(`/preferences/${actorId}/`);
    state.agentCore.addRecord(`/preferences/${actorId}/`);
    state.agentCore.addRecord(`/episodes/${actorId}/`);
    for (let index = 0; index < facts; index++) state.agentCore.addRecord(`/facts/${actorId}/`);
    return sessionIds;
  }

  /** What is left of a user: events, records and history items (by the owner on the item). */
  async function dataOf(userId: string) {
    const actorId = actorIdForUser(userId);
    const items = await allItems(state.dynamo, state.target.sessionTableName);
    return {
      events: state.agentCore.events.filter((event) => event.actorId === actorId).length,
      records: state.agentCore.records.filter((record) => record.namespace.split('/').includes(actorId)).length,
      history: items.filter((item) => item.startsWith(`${actorId.replace(/[^a-zA-Z0-9]/g, '-')}-session-`)).length,
    };
  }

  const forget = (userId: string, options: ForgetOptions = {}) =>
    forgetUser(
      userId,
      state.target,
      { agentCore: new BedrockAgentCoreClient({ region: 'us-east-1' }), dynamo: state.dynamo, ...state.clients },
      { ...noWait, ...options },
    );

  return { state, agentCoreMock, seedUser, dataOf, forget };
}
