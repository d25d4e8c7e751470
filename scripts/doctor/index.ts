/**
 * `agentcore-memory doctor`: compares a deployed AgentCore memory, the agent items that use
 * it and the converse function with what they must be. Exit code 0: they agree; 1: drift;
 * 2: could not check.
 */
import { BedrockAgentCoreControlClient } from '@aws-sdk/client-bedrock-agentcore-control';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { IAMClient } from '@aws-sdk/client-iam';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { resolveAwsAccess, type AwsAccess } from '../cli/aws-preflight.js';
import {
  ExitCode,
  processIo,
  runCommand,
  secondsOption,
  stringOption,
  UsageError,
  type CommandIo,
  type CommandSpec,
} from '../cli/command-line.js';
import { repositoryEnvironment } from '../cli/repository-environment.js';
import type { DoctorClients } from './deployed.js';
import { describeFailure, DOCTOR_PERMISSIONS, runDoctor, type DoctorReport } from './doctor.js';
import { readExpectedFile, type ExpectedMemory } from './expected.js';
import { renderJson, renderText } from './report.js';

export const DOCTOR_COMMAND: CommandSpec = {
  name: 'doctor',
  summary: 'checks a deployed memory, its agents and the converse function against what they must be.',
  usage: [
    'doctor --stack <stack> [--expect <template.json>] [--region <region>] [--json]',
    'doctor --memory-id <id> [--agent-table <table>] [--function <name>] [--expect <file>] [--wait]',
    'doctor --env <env>            (in this package’s own repository)',
  ],
  options: {
    stack: {
      type: 'string',
      value: 'stack name',
      description:
        'A deployed stack whose outputs name what to check: MemoryId, AgentTableName and ConverseFunctionName (the outputs this package’s app writes; name the rest directly for your own stacks).',
    },
    'memory-id': {
      type: 'string',
      value: 'id',
      description: 'The AgentCore memory to check (wins over the stack’s MemoryId).',
    },
    'agent-table': {
      type: 'string',
      value: 'table name',
      description: 'The agent-definition table whose items are checked against the memory and the function.',
    },
    function: {
      type: 'string',
      value: 'name or ARN',
      description:
        'The converse function: its MEMORY_ID must be the memory, and its role must allow each agent’s model and memory.',
    },
    expect: {
      type: 'string',
      value: 'file',
      description:
        'What the memory must be, without synthesizing: a synthesized CloudFormation template with one AWS::BedrockAgentCore::Memory (cdk.out/<stack>.template.json), or the JSON --print-expected writes. Without it (and without --env) the memory’s name, event expiry and strategies are not compared.',
    },
    env: {
      type: 'string',
      value: 'env',
      description:
        'An environment of this package’s own app (reads ./cdk.json): checks stack AgentMemory-<env>-Stateless in the environment’s region and synthesizes the environment for what to expect, unless --expect is given.',
    },
    'print-expected': {
      type: 'boolean',
      description: 'With --env: print what the environment’s memory must be as JSON (for a later --expect) and exit.',
    },
    region: {
      type: 'string',
      value: 'region',
      description:
        'The region to check (default: the environment’s region with --env, else AWS_REGION or your profile’s).',
    },
    wait: {
      type: 'boolean',
      description:
        'Wait until the memory is ACTIVE (at most --timeout); stops at once on an error that retrying cannot fix (access denied, no such memory, a validation error).',
    },
    timeout: { type: 'string', value: 'seconds', default: '600', description: 'How long --wait waits.' },
    json: {
      type: 'boolean',
      description:
        'Print the report as JSON on stdout (and nothing else there): region, memoryId, findings[], exitCode, error.',
    },
  },
  notes: [
    'Exit codes: 0 everything agrees; 1 drift (each difference printed as expected vs deployed); 2 the doctor could not check (no credentials or region, access denied, stack not deployed), with what to do.',
    `Credentials: the standard AWS chain (AWS_PROFILE, SSO, environment variables, instance or container roles). It needs ${DOCTOR_PERMISSIONS}.`,
  ],
};

export interface DoctorCliDependencies {
  readonly access?: (regionFlag: string | undefined, configuredRegion: string | undefined) => Promise<AwsAccess>;
  readonly clientsFor?: (access: AwsAccess) => DoctorClients;
}

export function runDoctorCli(
  argv: readonly string[],
  io: CommandIo = processIo,
  dependencies: DoctorCliDependencies = {},
): Promise<ExitCode> {
  return runCommand(DOCTOR_COMMAND, argv, io, async (values) => {
    const env = stringOption(values, 'env');
    let stackName = stringOption(values, 'stack');
    const memoryId = stringOption(values, 'memory-id');
    const regionFlag = stringOption(values, 'region');
    const timeoutSeconds = secondsOption(values, 'timeout');
    if (env === undefined && stackName === undefined && memoryId === undefined) {
      throw new UsageError('name what to check: --stack, or --memory-id (with --agent-table and --function), or --env');
    }
    if (values['print-expected'] && env === undefined) throw new UsageError('--print-expected needs --env');
    const expectFile = stringOption(values, 'expect');
    let expected: ExpectedMemory | undefined = expectFile === undefined ? undefined : readExpectedFile(expectFile);

    const repository = env === undefined ? undefined : await repositoryEnvironment(env);
    stackName ??= repository?.statelessStackName;
    if (repository && values['print-expected']) {
      io.stdout(`${JSON.stringify((await synthesize(repository, io)).memory, null, 2)}\n`);
      return ExitCode.ok;
    }

    const render = (report: DoctorReport) => {
      io.stdout(`${values.json ? renderJson(report) : renderText(report)}\n`);
      return report.exitCode;
    };
    let access: AwsAccess;
    try {
      access = await (dependencies.access ?? resolveAwsAccess)(regionFlag, repository?.config.region);
    } catch (error) {
      const region = regionFlag ?? repository?.config.region ?? process.env.AWS_REGION;
      return render({
        environment: env,
        region,
        stackName,
        memoryId,
        findings: [],
        exitCode: 2,
        error: describeFailure(error, { region: region ?? '' }),
      });
    }
    if (repository && expected === undefined) expected = (await synthesize(repository, io)).memory;

    const report = await runDoctor(
      {
        region: access.region,
        environment: env,
        stackName,
        memoryId,
        agentTableName: stringOption(values, 'agent-table'),
        functionName: stringOption(values, 'function'),
        expected,
        wait: values.wait === true,
        timeoutSeconds,
      },
      (dependencies.clientsFor ?? awsClients)(access),
    );
    return render(report);
  });
}

async function synthesize(repository: Awaited<ReturnType<typeof repositoryEnvironment>>, io: CommandIo) {
  io.stderr(`Synthesizing environment ${repository.config.name} for what to expect...\n`);
  const { synthesizeExpected } = await import('./synthesize.js');
  return synthesizeExpected(repository.config, repository.context);
}

function awsClients({ region, credentials }: AwsAccess): DoctorClients {
  return {
    cloudFormation: new CloudFormationClient({ region, credentials }),
    control: new BedrockAgentCoreControlClient({ region, credentials }),
    dynamo: DynamoDBDocumentClient.from(new DynamoDBClient({ region, credentials })),
    lambda: new LambdaClient({ region, credentials }),
    iam: new IAMClient({ region, credentials }),
  };
}
