import { describeAwsFailure, type Failure } from '../cli/aws-preflight.js';
import { checkAgentItems } from './agent-checks.js';
import {
  agentItems,
  deployedFunction,
  getMemory,
  StackNotFoundError,
  stackOutputs,
  waitForActive,
  type DeployedMemory,
  type DoctorClients,
} from './deployed.js';
import type { ExpectedMemory } from './expected.js';
import { note, type Finding } from './finding.js';
import { checkFunctionMemoryId } from './function-checks.js';
import { compareMemory } from './memory-checks.js';
import { checkAgentPermissions } from './permission-checks.js';
import { rolePolicyStatements } from './role-policy.js';

/** What to check, named directly or through a stack's outputs (MemoryId, AgentTableName, ConverseFunctionName). */
export interface DoctorOptions {
  /** The region checked (it is in the report). */
  readonly region: string;
  /** This repository's environment, when run with --env (for the report). */
  readonly environment?: string;
  readonly stackName?: string;
  readonly memoryId?: string;
  readonly agentTableName?: string;
  readonly functionName?: string;
  /** What the memory must be; without it only statuses, agents and the function are checked. */
  readonly expected?: ExpectedMemory;
  /** Wait until the memory is ACTIVE, at most `timeoutSeconds`. */
  readonly wait?: boolean;
  /** @default 600 */
  readonly timeoutSeconds?: number;
  /** The shortest delay between polls, in seconds. @default 2 */
  readonly waitMinDelaySeconds?: number;
}

/** 0: deployed agrees with the code. 1: drift. 2: could not check. */
export type DoctorExitCode = 0 | 1 | 2;

export interface DoctorReport {
  readonly environment?: string;
  /** The region checked; undefined only when none could be resolved. */
  readonly region: string | undefined;
  readonly stackName?: string;
  readonly memoryId?: string;
  readonly functionName?: string;
  readonly findings: Finding[];
  readonly exitCode: DoctorExitCode;
  /** Why the doctor could not check, when exitCode is 2. */
  readonly error?: Failure;
}

export const DOCTOR_PERMISSIONS =
  'cloudformation:DescribeStacks (with a stack), bedrock-agentcore:GetMemory, dynamodb:Scan on the agent table, lambda:GetFunctionConfiguration, and iam:ListRolePolicies, iam:GetRolePolicy, iam:ListAttachedRolePolicies, iam:GetPolicy, iam:GetPolicyVersion on the function role';

/** Compares what is deployed with what it must be. */
export async function runDoctor(options: DoctorOptions, clients: DoctorClients): Promise<DoctorReport> {
  const findings: Finding[] = [];
  const target = {
    environment: options.environment,
    region: options.region,
    stackName: options.stackName,
    memoryId: options.memoryId,
    functionName: options.functionName,
  };
  try {
    const outputs = await readOutputs(clients, options, findings);
    const memoryId = (target.memoryId ??= outputs.MemoryId);
    const agentTableName = options.agentTableName ?? outputs.AgentTableName;
    const functionName = (target.functionName ??= outputs.ConverseFunctionName);
    if (!memoryId) {
      throw new CannotCheckError(
        options.stackName
          ? `stack ${options.stackName} has no MemoryId output: pass --memory-id`
          : 'nothing names the memory: pass --memory-id, or --stack with a stack whose outputs include MemoryId',
      );
    }

    let memory: DeployedMemory | undefined;
    let waitedSeconds: number | undefined;
    if (options.wait) {
      const timeoutSeconds = options.timeoutSeconds ?? 600;
      const waited = await waitForActive(clients.control, memoryId, timeoutSeconds, options.waitMinDelaySeconds);
      memory = waited.memory;
      if (waited.timedOut) waitedSeconds = timeoutSeconds;
    } else {
      memory = await getMemory(clients.control, memoryId);
    }
    findings.push(...compareMemory(options.expected, memory, memoryId, { waitedSeconds }));

    let items: Record<string, unknown>[] | undefined;
    if (agentTableName) {
      items = await agentItems(clients.dynamo, agentTableName);
      findings.push(...(await agentFindings(clients, items, memoryId, memory)));
    } else {
      findings.push(
        note(
          'agent.items',
          'no agent table named (--agent-table, or a stack with AgentTableName): agent items not checked',
        ),
      );
    }
    if (functionName) findings.push(...(await functionFindings(clients, functionName, memoryId, items)));
    else
      findings.push(
        note(
          'function.memoryId',
          'no converse function named (--function, or a stack with ConverseFunctionName): function not checked',
        ),
      );
  } catch (error) {
    return { ...target, findings, exitCode: 2, error: describeFailure(error, options) };
  }
  const exitCode = findings.some((finding) => finding.status === 'drift') ? 1 : 0;
  return { ...target, findings, exitCode };
}

async function readOutputs(clients: DoctorClients, options: DoctorOptions, findings: Finding[]) {
  if (!options.stackName) return {} as Record<string, string>;
  try {
    return await stackOutputs(clients.cloudFormation, options.stackName);
  } catch (error) {
    if (!(error instanceof StackNotFoundError) || options.memoryId === undefined) throw error;
    findings.push(note('stack.outputs', `${error.message}: checked only what was named directly`));
    return {} as Record<string, string>;
  }
}

async function agentFindings(
  clients: DoctorClients,
  items: Record<string, unknown>[],
  memoryId: string,
  memory: DeployedMemory | undefined,
): Promise<Finding[]> {
  const memories = new Map<string, DeployedMemory | undefined>([[memoryId, memory]]);
  for (const item of items) {
    const named = (item.memory_feature as { memory_id?: unknown } | undefined)?.memory_id;
    if (typeof named === 'string' && named !== '' && !memories.has(named)) {
      memories.set(named, await getMemory(clients.control, named));
    }
  }
  return checkAgentItems(items, { memories });
}

/** The function's MEMORY_ID, and each agent's model and memory against what its role may use. */
async function functionFindings(
  clients: DoctorClients,
  functionName: string,
  memoryId: string,
  items: Record<string, unknown>[] | undefined,
): Promise<Finding[]> {
  const deployed = await deployedFunction(clients.lambda, functionName);
  const findings = [checkFunctionMemoryId(deployed.functionName, deployed.memoryId, memoryId)];
  if (items === undefined) return findings;
  let statements;
  try {
    statements = await rolePolicyStatements(clients.iam, deployed.roleArn);
  } catch (error) {
    const failure = describeAwsFailure(error);
    findings.push(
      note(
        'function.role',
        `could not read the policies of role ${deployed.roleArn} (${failure.type}: ${failure.message}), so agents' models and memories were not checked against it; this needs iam:ListRolePolicies, iam:GetRolePolicy, iam:ListAttachedRolePolicies, iam:GetPolicy and iam:GetPolicyVersion`,
      ),
    );
    return findings;
  }
  findings.push(...checkAgentPermissions(items, { ...deployed, statements }));
  return findings;
}

export class CannotCheckError extends Error {
  override readonly name = 'CannotCheckError';
}

/** Why the doctor could not check, as a message a person can act on. */
export function describeFailure(error: unknown, options: Pick<DoctorOptions, 'region' | 'stackName'>): Failure {
  if (error instanceof StackNotFoundError) {
    return {
      type: 'StackNotFound',
      message: `${error.message} in ${options.region}: deploy it, pass --region where it is deployed, or name the memory with --memory-id`,
    };
  }
  if (error instanceof CannotCheckError) return { type: 'CannotCheck', message: error.message };
  return describeAwsFailure(error, DOCTOR_PERMISSIONS);
}
