import { memoryFeatureSchema, namespaceLayoutErrors } from '../../lambda/contract/index.js';
import type { DeployedMemory, DeployedStrategy } from './deployed.js';
import type { ExpectedMemory, ExpectedStrategy } from './expected.js';

/**
 * `ok`: deployed agrees with the code. `drift`: it does not (exit 1). `unknown`: AWS does
 * not report it, so it was not compared (a note, not a failure).
 */
export type FindingStatus = 'ok' | 'drift' | 'unknown';

export interface Finding {
  /** Which check: memory.status, memory.eventExpiry, strategy.missing, agent.retrieval, ... */
  readonly check: string;
  readonly status: FindingStatus;
  /** What it is about: a strategy name, an agent id. */
  readonly subject?: string;
  readonly expected?: unknown;
  readonly deployed?: unknown;
  /** One line a person can act on. */
  readonly message: string;
}

const ok = (check: string, message: string, subject?: string): Finding => ({ check, status: 'ok', subject, message });

export interface CompareOptions {
  /** The doctor waited for the memory (--wait) until its timeout: say so instead of suggesting to wait. */
  readonly waitedSeconds?: number;
}

/**
 * The memory as GetMemory reports it: its status and each strategy's, and, given what the
 * code says it must be, its name, event expiry and strategies against that.
 */
export function compareMemory(
  expected: ExpectedMemory | undefined,
  deployed: DeployedMemory | undefined,
  memoryId: string,
  options: CompareOptions = {},
): Finding[] {
  if (!deployed) {
    return [
      {
        check: 'memory.exists',
        status: 'drift',
        expected: memoryId,
        deployed: null,
        message: `memory ${memoryId} does not exist: deploy the stack that creates it, or check the id and region`,
      } satisfies Finding,
    ];
  }
  const findings: Finding[] = [statusFinding(deployed, options.waitedSeconds)];
  findings.push(...deployed.strategies.map(strategyStatusFinding));
  if (!expected) {
    findings.push({
      check: 'memory.expected',
      status: 'unknown',
      message:
        'nothing to compare with (no --expect, no --env): checked the status of the memory and its strategies, not its name, event expiry or strategies',
    });
    return findings;
  }
  findings.push(
    deployed.name === expected.name
      ? ok('memory.name', `memory ${deployed.id} is named ${deployed.name}`)
      : {
          check: 'memory.name',
          status: 'drift',
          expected: expected.name,
          deployed: deployed.name,
          message: `memory ${deployed.id} is named '${deployed.name}', not '${expected.name}': it is not the memory the code describes`,
        },
  );
  findings.push(
    deployed.eventExpiryDays === expected.eventExpiryDays
      ? ok('memory.eventExpiry', `events expire after ${expected.eventExpiryDays} days`)
      : {
          check: 'memory.eventExpiry',
          status: 'drift',
          expected: expected.eventExpiryDays,
          deployed: deployed.eventExpiryDays,
          message: `event expiry: expected ${expected.eventExpiryDays} days, deployed ${deployed.eventExpiryDays ?? 'none'}; deploy the stack (or change the expiry in the code to what you want)`,
        },
  );
  for (const strategy of expected.strategies) {
    const match = deployed.strategies.find((candidate) => candidate.name === strategy.name);
    findings.push(...compareStrategy(strategy, match, deployed.reportsRecordExpiry));
  }
  for (const extra of deployed.strategies.filter((s) => !expected.strategies.some((e) => e.name === s.name))) {
    findings.push({
      check: 'strategy.unexpected',
      status: 'drift',
      subject: extra.name,
      expected: null,
      deployed: { type: extra.type, namespaceTemplates: extra.namespaceTemplates },
      message: `strategy ${extra.name} (${extra.type}) is deployed but not in the code: it was added outside CloudFormation, or the stack is older than the code`,
    });
  }
  return findings;
}

function statusFinding(deployed: DeployedMemory, waitedSeconds: number | undefined): Finding {
  if (deployed.status === 'ACTIVE') return ok('memory.status', `memory ${deployed.id} is ACTIVE`);
  const hint =
    deployed.status === 'FAILED'
      ? `failed: ${deployed.failureReason ?? 'no reason given'}; fix the cause and redeploy the stack that creates it`
      : waitedSeconds === undefined
        ? 'not ready yet; run again with --wait'
        : `still not ACTIVE after waiting ${waitedSeconds} s; look at the stack's events and the memory in the console`;
  return {
    check: 'memory.status',
    status: 'drift',
    expected: 'ACTIVE',
    deployed: deployed.status,
    message: `memory ${deployed.id} is ${deployed.status}: ${hint}`,
  };
}

/** A strategy still CREATING, or FAILED, or DELETING does not extract records yet (or any more). */
function strategyStatusFinding(strategy: DeployedStrategy): Finding {
  const subject = strategy.name;
  if (strategy.status === undefined) {
    return {
      check: 'strategy.status',
      status: 'unknown',
      subject,
      message: `strategy ${subject}: GetMemory did not report its status`,
    };
  }
  if (strategy.status === 'ACTIVE') return ok('strategy.status', `strategy ${subject} is ACTIVE`, subject);
  return {
    check: 'strategy.status',
    status: 'drift',
    subject,
    expected: 'ACTIVE',
    deployed: strategy.status,
    message: `strategy ${subject} is ${strategy.status}, so it extracts no records${strategy.status === 'FAILED' ? '; remove and add it again, or redeploy the stack' : ' yet'}`,
  };
}

function compareStrategy(
  expected: ExpectedStrategy,
  deployed: DeployedStrategy | undefined,
  reportsRecordExpiry: boolean,
): Finding[] {
  const subject = expected.name;
  if (!deployed) {
    return [
      {
        check: 'strategy.missing',
        status: 'drift',
        subject,
        expected: { type: expected.type, namespaceTemplates: expected.namespaceTemplates },
        deployed: null,
        message: `strategy ${subject} (${expected.type}) is in the code but not deployed: deploy the stack that creates the memory`,
      },
    ];
  }
  const findings: Finding[] = [];
  findings.push(
    deployed.type === expected.type
      ? ok('strategy.type', `strategy ${subject} is ${deployed.type}`, subject)
      : {
          check: 'strategy.type',
          status: 'drift',
          subject,
          expected: expected.type,
          deployed: deployed.type,
          message: `strategy ${subject}: expected type ${expected.type}, deployed ${deployed.type}`,
        },
  );
  findings.push(
    sameList(deployed.namespaceTemplates, expected.namespaceTemplates)
      ? ok('strategy.namespaces', `strategy ${subject} writes to ${deployed.namespaceTemplates.join(', ')}`, subject)
      : {
          check: 'strategy.namespaces',
          status: 'drift',
          subject,
          expected: expected.namespaceTemplates,
          deployed: deployed.namespaceTemplates,
          message: `strategy ${subject}: expected namespace ${expected.namespaceTemplates.join(', ')}, deployed ${deployed.namespaceTemplates.join(', ')}; records land where retrieval does not look`,
        },
  );
  const expectedExpiry = expected.recordExpiryDays ?? null;
  if (!reportsRecordExpiry) {
    findings.push({
      check: 'strategy.recordExpiry',
      status: 'unknown',
      subject,
      expected: expectedExpiry,
      message: `strategy ${subject}: GetMemory did not report record expiry, so it was not compared (expected ${describeExpiry(expectedExpiry)})`,
    });
  } else {
    const deployedExpiry = deployed.recordExpiryDays ?? null;
    findings.push(
      deployedExpiry === expectedExpiry
        ? ok('strategy.recordExpiry', `strategy ${subject}: records ${describeExpiry(expectedExpiry)}`, subject)
        : {
            check: 'strategy.recordExpiry',
            status: 'drift',
            subject,
            expected: expectedExpiry,
            deployed: deployedExpiry,
            message: `strategy ${subject}: expected records ${describeExpiry(expectedExpiry)}, deployed ${describeExpiry(deployedExpiry)}`,
          },
    );
  }
  return findings;
}

function describeExpiry(days: number | null): string {
  return days === null ? 'never expire' : `expire after ${days} days`;
}

function sameList(a: string[], b: string[]): boolean {
  return a.length === b.length && [...a].sort().every((value, index) => value === [...b].sort()[index]);
}

/**
 * Whether a retrieval prefix finds records some strategy writes: the prefix must be a
 * leading part of a strategy's template (its `{memoryStrategyId}` filled in with the
 * strategy's id). Retrieval matches namespaces by prefix, so a prefix no template starts
 * with always retrieves nothing.
 */
export function retrievalTemplateIsWritten(retrievalTemplate: string, strategies: DeployedStrategy[]): boolean {
  return strategies.some((strategy) =>
    strategy.namespaceTemplates.some((template) =>
      template.replaceAll('{memoryStrategyId}', strategy.strategyId).startsWith(retrievalTemplate),
    ),
  );
}

export interface AgentItemContext {
  /** GetMemory's answer per memory id the items name (undefined: no such memory). */
  readonly memories: ReadonlyMap<string, DeployedMemory | undefined>;
}

/** Every agent item whose `memory_feature` is enabled: its memory exists, is ACTIVE, and its retrieval finds records. */
export function checkAgentItems(items: Record<string, unknown>[], context: AgentItemContext): Finding[] {
  const findings: Finding[] = [];
  for (const item of items) {
    const agentId = typeof item.agent_id === 'string' ? item.agent_id : JSON.stringify(item.agent_id);
    if (item.memory_feature === undefined) continue;
    const parsed = memoryFeatureSchema.safeParse(item.memory_feature);
    if (!parsed.success) {
      findings.push({
        check: 'agent.memoryFeature',
        status: 'drift',
        subject: agentId,
        message: `agent ${agentId}: memory_feature is invalid (${parsed.error.issues.map((issue) => `${issue.path.join('.') || 'memory_feature'}: ${issue.message}`).join('; ')}); the function will reject this agent`,
      });
      continue;
    }
    const feature = parsed.data;
    if (!feature.enabled) continue;
    if (!feature.memory_id) {
      findings.push({
        check: 'agent.memoryId',
        status: 'drift',
        subject: agentId,
        message: `agent ${agentId}: memory_feature.enabled is true but memory_id is empty, so the function runs it without memory; set memory_id`,
      });
      continue;
    }
    const memory = context.memories.get(feature.memory_id);
    if (!memory) {
      findings.push({
        check: 'agent.memoryExists',
        status: 'drift',
        subject: agentId,
        deployed: feature.memory_id,
        message: `agent ${agentId}: memory ${feature.memory_id} does not exist; point memory_id at a deployed memory`,
      });
      continue;
    }
    findings.push(
      memory.status === 'ACTIVE'
        ? ok('agent.memoryActive', `agent ${agentId}: memory ${memory.id} exists and is ACTIVE`, agentId)
        : {
            check: 'agent.memoryActive',
            status: 'drift',
            subject: agentId,
            expected: 'ACTIVE',
            deployed: memory.status,
            message: `agent ${agentId}: memory ${memory.id} is ${memory.status}, not ACTIVE`,
          },
    );
    // Without `retrieval` of its own the item searches every strategy's default namespace,
    // episodes included; one this memory has no strategy for is worth a note, not drift.
    const usesDefaults = (item.memory_feature as { retrieval?: unknown }).retrieval === undefined;
    findings.push(retrievalIsolation(agentId, Object.keys(feature.retrieval), memory));
    for (const template of Object.keys(feature.retrieval)) {
      findings.push(
        retrievalTemplateIsWritten(template, memory.strategies)
          ? ok('agent.retrieval', `agent ${agentId}: retrieves ${template}, which a strategy writes`, agentId)
          : usesDefaults
            ? {
                check: 'agent.retrieval',
                status: 'unknown',
                subject: agentId,
                deployed: template,
                message: `agent ${agentId}: the default retrieval also searches ${template}, which no strategy of memory ${memory.id} writes: one retrieval that finds nothing; set memory_feature.retrieval to leave it out`,
              }
            : {
                check: 'agent.retrieval',
                status: 'drift',
                subject: agentId,
                expected: memory.strategies.flatMap((strategy) => strategy.namespaceTemplates),
                deployed: template,
                message: `agent ${agentId}: retrieves ${template}, which no strategy of memory ${memory.id} writes, so it always finds nothing; use a prefix of ${memory.strategies.flatMap((s) => s.namespaceTemplates).join(', ')}`,
              },
      );
    }
  }
  if (findings.length === 0) findings.push(ok('agent.items', 'no agent item has memory enabled'));
  return findings;
}

/**
 * An item's retrieval templates together with its memory's record templates must keep
 * users apart: the function sees only the item, so a hand-written item is checked here.
 */
function retrievalIsolation(agentId: string, retrieval: readonly string[], memory: DeployedMemory): Finding {
  const recordTemplates = memory.strategies.flatMap((strategy) =>
    strategy.namespaceTemplates.map((template) => template.replaceAll('{memoryStrategyId}', strategy.strategyId)),
  );
  const errors = namespaceLayoutErrors([...recordTemplates, ...retrieval]);
  if (errors.length === 0) {
    return ok(
      'agent.isolation',
      `agent ${agentId}: its retrieval and memory ${memory.id}'s layout keep users apart`,
      agentId,
    );
  }
  return {
    check: 'agent.isolation',
    status: 'drift',
    subject: agentId,
    deployed: retrieval,
    message: `agent ${agentId}: its retrieval with memory ${memory.id}'s namespaces could show one user another's memories: ${errors.join('; ')}`,
  };
}

/** The function's MEMORY_ID against the memory being checked. */
export function checkFunctionMemoryId(functionName: string, actual: string | undefined, expected: string): Finding {
  if (actual === expected) return ok('function.memoryId', `function ${functionName} has MEMORY_ID ${expected}`);
  return {
    check: 'function.memoryId',
    status: 'drift',
    subject: functionName,
    expected,
    deployed: actual ?? null,
    message: `function ${functionName} has MEMORY_ID ${actual ?? '(unset)'}, not ${expected}: it is granted another memory than the one checked; deploy the stack that creates the function, or check --memory-id`,
  };
}
