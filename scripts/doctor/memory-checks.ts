/** The memory itself: its status and its strategies', and its name, event expiry and strategies against the code. */
import type { DeployedMemory, DeployedStrategy } from './deployed.js';
import type { ExpectedMemory, ExpectedStrategy } from './expected.js';
import { ok, type Finding } from './finding.js';

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
