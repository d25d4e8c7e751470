/**
 * A Strands model that answers from a script instead of calling a provider, and records
 * every request (messages as role and content JSON, system prompt) so tests can check
 * what the model got.
 */
import {
  type BaseModelConfig,
  type JSONValue,
  type Message,
  type MessageData,
  Model,
  type ModelStreamEvent,
  type StreamOptions,
  type SystemPrompt,
} from '@strands-agents/sdk';

export type ScriptedReply = { text: string } | { toolUse: { name: string; toolUseId: string; input: JSONValue } };

export interface ModelRequest {
  readonly messages: MessageData[];
  readonly systemPrompt: SystemPrompt | undefined;
}

export class ScriptedModel extends Model<BaseModelConfig> {
  readonly requests: ModelRequest[] = [];
  private readonly replies: ScriptedReply[];

  constructor(
    replies: ScriptedReply[],
    private readonly onRequest: () => void = () => undefined,
  ) {
    super();
    this.replies = [...replies];
  }

  updateConfig(): void {}

  getConfig(): BaseModelConfig {
    return { modelId: 'scripted' };
  }

  async *stream(messages: Message[], options?: StreamOptions): AsyncGenerator<ModelStreamEvent> {
    this.requests.push({
      messages: messages.map((message) => ({ role: message.role, content: message.toJSON().content })),
      systemPrompt: options?.systemPrompt,
    });
    this.onRequest();
    const reply = this.replies.shift();
    if (reply === undefined) throw new Error('the script has no reply left');
    yield { type: 'modelMessageStartEvent', role: 'assistant' };
    if ('text' in reply) {
      yield { type: 'modelContentBlockStartEvent' };
      yield { type: 'modelContentBlockDeltaEvent', delta: { type: 'textDelta', text: reply.text } };
      yield { type: 'modelContentBlockStopEvent' };
      yield { type: 'modelMessageStopEvent', stopReason: 'endTurn' };
    } else {
      const { name, toolUseId, input } = reply.toolUse;
      yield { type: 'modelContentBlockStartEvent', start: { type: 'toolUseStart', name, toolUseId } };
      yield { type: 'modelContentBlockDeltaEvent', delta: { type: 'toolUseInputDelta', input: JSON.stringify(input) } };
      yield { type: 'modelContentBlockStopEvent' };
      yield { type: 'modelMessageStopEvent', stopReason: 'toolUse' };
    }
  }
}
