/**
 * The process-wide AgentCore client. Created on first use rather than at import, so a
 * Lambda that never touches memory pays nothing at cold start; reused afterwards so its
 * connections and credentials are shared by every session manager in the process.
 */
import type { BedrockAgentCoreClient } from '@aws-sdk/client-bedrock-agentcore';
import { agentCoreClient } from '../platform/clients/agentcore.js';

let sharedClient: BedrockAgentCoreClient | undefined;

/** Region and credentials come from the standard AWS environment (AWS_REGION, ...); the SDK's default attempts and timeouts. */
export function defaultAgentCoreClient(): BedrockAgentCoreClient {
  sharedClient ??= agentCoreClient();
  return sharedClient;
}
