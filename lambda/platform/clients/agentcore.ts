import { BedrockAgentCoreClient } from '@aws-sdk/client-bedrock-agentcore';
import { type ClientOptions, clientConfig } from './client-options.js';

/** AgentCore Memory's data plane: events, records, sessions. */
export function agentCoreClient(options: ClientOptions = {}): BedrockAgentCoreClient {
  return new BedrockAgentCoreClient(clientConfig(options));
}
