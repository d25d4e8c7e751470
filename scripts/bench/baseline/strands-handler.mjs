/* global awslambda */
// Baseline for the bundle benchmark: the same job (a Bedrock agent with AgentCore Memory
// and DynamoDB clients behind a streaming Function URL) written on the Strands Agents
// TypeScript SDK, bundled exactly like the converse function.
import { Agent, BedrockModel } from '@strands-agents/sdk';
import { BedrockAgentCoreClient } from '@aws-sdk/client-bedrock-agentcore';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';

const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const memory = new BedrockAgentCoreClient({});

export const handler = awslambda.streamifyResponse(async (event, responseStream) => {
  const request = JSON.parse(event.body ?? '{}');
  const { Item: agentDefinition } = await documents.send(
    new GetCommand({ TableName: process.env.AGENT_TABLE_NAME, Key: { agent_id: request.agentId } }),
  );
  const agent = new Agent({
    model: new BedrockModel({ modelId: agentDefinition.foundation_model }),
    systemPrompt: agentDefinition.base_prompt,
  });
  for await (const streamEvent of agent.stream(request.message)) {
    responseStream.write(`data: ${JSON.stringify(streamEvent.type ?? '')}\n\n`);
  }
  void memory;
  responseStream.end();
});
