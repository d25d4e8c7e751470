/**
 * `npm run doctor -- --env <env> [--memory-id <id>] [--wait] [--timeout <seconds>] [--json]`
 *
 * Compares the deployed AgentCore memory, the agent items that use it and the converse
 * function with what this code synthesizes for the environment. Exit code 0: they agree;
 * 1: drift; 2: could not check.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { BedrockAgentCoreControlClient } from '@aws-sdk/client-bedrock-agentcore-control';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { runDoctor } from './doctor.js';
import { renderJson, renderText } from './report.js';

const USAGE = 'usage: npm run doctor -- --env <env> [--memory-id <id>] [--wait] [--timeout <seconds>] [--json]';

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        env: { type: 'string' },
        'memory-id': { type: 'string' },
        wait: { type: 'boolean', default: false },
        timeout: { type: 'string', default: '600' },
        json: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const timeoutSeconds = Number(values.timeout);
  if (!values.env || !Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) {
    console.error(USAGE);
    return 2;
  }
  const cdkJson = JSON.parse(readFileSync(path.join(process.cwd(), 'cdk.json'), 'utf8')) as {
    context?: Record<string, unknown>;
  };
  const report = await runDoctor(
    {
      environment: values.env,
      context: cdkJson.context ?? {},
      memoryId: values['memory-id'],
      wait: values.wait,
      timeoutSeconds,
    },
    {
      clientsFor: (region) => ({
        cloudFormation: new CloudFormationClient({ region }),
        control: new BedrockAgentCoreControlClient({ region }),
        dynamo: DynamoDBDocumentClient.from(new DynamoDBClient({ region })),
        lambda: new LambdaClient({ region }),
      }),
    },
  );
  console.log(values.json ? renderJson(report) : renderText(report));
  return report.exitCode;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 2;
  },
);
