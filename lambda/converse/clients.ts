import { BedrockAgentCoreClient } from '@aws-sdk/client-bedrock-agentcore';
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * SDK clients, each created on first use and kept for the container's life: module init
 * stays small (cold start) and every later invocation reuses the connections.
 * Region and credentials come from the Lambda environment.
 */
let bedrockRuntime: BedrockRuntimeClient | undefined;
let documentClient: DynamoDBDocumentClient | undefined;
let agentCore: BedrockAgentCoreClient | undefined;

export function bedrockRuntimeClient(): BedrockRuntimeClient {
  bedrockRuntime ??= new BedrockRuntimeClient({});
  return bedrockRuntime;
}

export function dynamoDocumentClient(): DynamoDBDocumentClient {
  documentClient ??= DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true },
  });
  return documentClient;
}

/**
 * Each AgentCore attempt is cut off after this long. The turn's CreateEvent runs after the
 * answer, inside the 30 s the function keeps free before its timeout: three attempts
 * (the SDK's default) with their backoff stay well inside it, so Lambda never ends the
 * invocation mid-write however slow AgentCore is.
 */
export const AGENT_CORE_ATTEMPT_TIMEOUT_MS = 5_000;

export function agentCoreClient(): BedrockAgentCoreClient {
  agentCore ??= new BedrockAgentCoreClient({
    requestHandler: { connectionTimeout: 1_000, requestTimeout: AGENT_CORE_ATTEMPT_TIMEOUT_MS },
  });
  return agentCore;
}
