import type { Finding } from './checks.js';
import { checkAgentItems, checkFunctionMemoryId, compareMemory } from './checks.js';
import {
  agentItems,
  functionMemoryId,
  getMemory,
  StackNotFoundError,
  stackOutputs,
  waitForActive,
  type DeployedMemory,
  type DoctorClients,
} from './deployed.js';
import { synthesizeExpected, type ExpectedEnvironment } from './expected.js';

export interface DoctorOptions {
  /** The environment name in `cdk.json`. */
  readonly environment: string;
  /** The `cdk.json` context (its `environments` key). */
  readonly context: Record<string, unknown>;
  /** Check this memory instead of the one the stack outputs name. */
  readonly memoryId?: string;
  /** Wait until the memory is ACTIVE (the SDK's waiter), at most `timeoutSeconds`. */
  readonly wait?: boolean;
  /** @default 600 */
  readonly timeoutSeconds?: number;
  /** The waiter's shortest delay between polls, in seconds. @default 2 */
  readonly waitMinDelaySeconds?: number;
}

/** 0: deployed agrees with the code. 1: drift. 2: could not check. */
export type DoctorExitCode = 0 | 1 | 2;

export interface DoctorReport {
  readonly environment: string;
  readonly region?: string;
  readonly memoryId?: string;
  readonly findings: Finding[];
  readonly exitCode: DoctorExitCode;
  /** Why the doctor could not check, when exitCode is 2. */
  readonly error?: { readonly type: string; readonly message: string };
}

export interface DoctorDependencies {
  /** Clients for the environment's region (undefined: the SDK's default region). */
  readonly clientsFor: (region: string | undefined) => DoctorClients;
  readonly expectedFor?: (environment: string, context: Record<string, unknown>) => ExpectedEnvironment;
}

/** Compares what is deployed for an environment with what this code synthesizes for it. */
export async function runDoctor(options: DoctorOptions, dependencies: DoctorDependencies): Promise<DoctorReport> {
  const base = { environment: options.environment };
  let expected: ExpectedEnvironment;
  try {
    expected = (dependencies.expectedFor ?? synthesizeExpected)(options.environment, options.context);
  } catch (error) {
    return { ...base, findings: [], exitCode: 2, error: describeFailure(error) };
  }
  const region = expected.config.region;
  const findings: Finding[] = [];
  let memoryId = options.memoryId;
  try {
    const clients = dependencies.clientsFor(region);
    let outputs: Record<string, string> | undefined;
    try {
      outputs = await stackOutputs(clients.cloudFormation, expected.statelessStackName);
    } catch (error) {
      if (!(error instanceof StackNotFoundError) || options.memoryId === undefined) throw error;
      findings.push({
        check: 'stack.outputs',
        status: 'unknown',
        message: `${error.message}: checked only the memory given with --memory-id, not the agent table or the function`,
      });
    }
    memoryId ??= outputs?.MemoryId;
    if (!memoryId) {
      throw new CannotCheckError(
        `stack ${expected.statelessStackName} has no MemoryId output: deploy this version of the Stateless stack, or pass --memory-id`,
      );
    }

    const memory = options.wait
      ? await waitForActive(clients.control, memoryId, options.timeoutSeconds ?? 600, options.waitMinDelaySeconds)
      : await getMemory(clients.control, memoryId);
    findings.push(...compareMemory(expected.memory, memory, memoryId));

    if (outputs) {
      findings.push(...(await agentFindings(clients, outputs, memoryId, memory)));
      findings.push(await functionFinding(clients, outputs, expected.statelessStackName));
    }
  } catch (error) {
    return { ...base, region, memoryId, findings, exitCode: 2, error: describeFailure(error, region) };
  }
  const exitCode = findings.some((finding) => finding.status === 'drift') ? 1 : 0;
  return { ...base, region, memoryId, findings, exitCode };
}

async function agentFindings(
  clients: DoctorClients,
  outputs: Record<string, string>,
  memoryId: string,
  memory: DeployedMemory | undefined,
): Promise<Finding[]> {
  const tableName = outputs.AgentTableName;
  if (!tableName) {
    return [{ check: 'agent.items', status: 'unknown', message: 'the stack has no AgentTableName output' }];
  }
  const items = await agentItems(clients.dynamo, tableName);
  const memories = new Map<string, DeployedMemory | undefined>([[memoryId, memory]]);
  for (const item of items) {
    const named = (item.memory_feature as { memory_id?: unknown } | undefined)?.memory_id;
    if (typeof named === 'string' && named !== '' && !memories.has(named)) {
      memories.set(named, await getMemory(clients.control, named));
    }
  }
  return checkAgentItems(items, { memories });
}

async function functionFinding(clients: DoctorClients, outputs: Record<string, string>, stackName: string) {
  const functionName = outputs.ConverseFunctionName;
  if (!functionName) {
    return {
      check: 'function.memoryId',
      status: 'unknown',
      message: `stack ${stackName} has no ConverseFunctionName output: deploy this version of the Stateless stack to check the function`,
    } satisfies Finding;
  }
  return checkFunctionMemoryId(functionName, await functionMemoryId(clients.lambda, functionName), outputs.MemoryId);
}

export class CannotCheckError extends Error {
  override readonly name = 'CannotCheckError';
}

const PERMISSIONS =
  'cloudformation:DescribeStacks, bedrock-agentcore:GetMemory, dynamodb:Scan on the agent table and lambda:GetFunctionConfiguration';

/** Why the doctor could not check, as a message a person can act on. */
export function describeFailure(error: unknown, region?: string): { type: string; message: string } {
  const name = error instanceof Error ? error.name : 'Error';
  const message = error instanceof Error ? error.message : String(error);
  const where = region ?? process.env.AWS_REGION ?? 'the default region';
  if (name === 'CredentialsProviderError' || /Could not load credentials/i.test(message)) {
    return {
      type: 'NoCredentials',
      message: `no AWS credentials found (${message}); set AWS_PROFILE, run 'aws sso login', or export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY`,
    };
  }
  if (/^(ExpiredToken|ExpiredTokenException|RequestExpired)$/.test(name)) {
    return { type: 'ExpiredCredentials', message: `the AWS credentials have expired; refresh them and run again` };
  }
  if (/^(AccessDenied|AccessDeniedException|UnauthorizedOperation|UnrecognizedClientException)$/.test(name)) {
    return { type: 'AccessDenied', message: `${message}; the doctor needs ${PERMISSIONS}` };
  }
  if (error instanceof StackNotFoundError) {
    return {
      type: 'StackNotFound',
      message: `${message} in ${where}: deploy the environment (npx cdk deploy '<env>/*'), or set AWS_REGION to where it is deployed, or pass --memory-id`,
    };
  }
  if (/Region is missing/i.test(message)) {
    return {
      type: 'NoRegion',
      message: 'no AWS region: set region for this environment in cdk.json, or export AWS_REGION',
    };
  }
  if (name === 'UnknownEnvironmentError' || /Invalid environment configuration|cdk\.json context/.test(message)) {
    return { type: 'Configuration', message };
  }
  if (error instanceof CannotCheckError) return { type: 'CannotCheck', message };
  return { type: name, message };
}
