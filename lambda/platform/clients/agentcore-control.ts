import { BedrockAgentCoreControlClient } from '@aws-sdk/client-bedrock-agentcore-control';
import { type ClientOptions, clientConfig } from './client-options.js';

/** AgentCore's control plane: a memory's settings and strategies. */
export function agentCoreControlClient(options: ClientOptions = {}): BedrockAgentCoreControlClient {
  return new BedrockAgentCoreControlClient(clientConfig(options));
}
