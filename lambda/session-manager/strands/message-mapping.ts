/**
 * Strands messages to the Bedrock Converse messages the session manager stores, and back.
 *
 * Stored messages are Converse messages, the shape the converse Lambda and the Python
 * session manager use too, so a session moves between them. Strands blocks that differ
 * from Converse in name or shape are mapped (`reasoning` is `reasoningContent`, a cache
 * point's `cacheType` is `type`, an S3 `location` is `s3Location`, video format `3gp` is
 * `three_gp`); bytes stay bytes. A block Converse has no form for (citations, an image
 * by URL) is stored in its Strands JSON form, which restores into a Strands agent as it was.
 * Message metadata (usage, tracking id) is not conversation content and is not stored.
 */
import {
  type ContentBlock,
  type ContentBlockData,
  type DocumentBlock,
  type ImageBlock,
  Message,
  type ToolResultContent,
  type VideoBlock,
  type AudioBlock,
} from '@strands-agents/sdk';
import type { ConversationMessage } from '../types.js';

type Json = Record<string, unknown>;
type MediaBlock = ImageBlock | VideoBlock | AudioBlock;

/** The Converse form of a Strands message. */
export function toConversationMessage(message: Message): ConversationMessage {
  return { role: message.role, content: message.content.map(toConverseBlock) } as unknown as ConversationMessage;
}

/**
 * The Strands message of a stored Converse message. Blocks neither form knows are left out
 * and named in `onUnknownBlock`; the message keeps the rest in order.
 */
export function toStrandsMessage(message: ConversationMessage, onUnknownBlock: (key: string) => void): Message {
  const content: Json[] = [];
  for (const block of (message.content ?? []) as unknown as Json[]) {
    const data = toStrandsBlockData(block);
    if (data === undefined) onUnknownBlock(Object.keys(block).join(','));
    else content.push(data);
  }
  return Message.fromMessageData({
    role: message.role === 'assistant' ? 'assistant' : 'user',
    content: content as unknown as ContentBlockData[],
  });
}

function toConverseBlock(block: ContentBlock): Json {
  switch (block.type) {
    case 'textBlock':
      return { text: block.text };
    case 'toolUseBlock':
      return {
        toolUse: {
          toolUseId: block.toolUseId,
          name: block.name,
          input: block.input,
          ...(block.reasoningSignature !== undefined && { reasoningSignature: block.reasoningSignature }),
        },
      };
    case 'toolResultBlock':
      return {
        toolResult: {
          toolUseId: block.toolUseId,
          status: block.status,
          content: block.content.map(toConverseToolResultContent),
        },
      };
    case 'reasoningBlock':
      if (block.text === undefined && block.signature === undefined && block.redactedContent !== undefined) {
        return { reasoningContent: { redactedContent: block.redactedContent } };
      }
      return {
        reasoningContent: {
          reasoningText: {
            text: block.text ?? '',
            ...(block.signature !== undefined && { signature: block.signature }),
          },
        },
      };
    case 'cachePointBlock':
      return { cachePoint: { type: block.cacheType, ...(block.ttl !== undefined && { ttl: block.ttl }) } };
    case 'imageBlock':
    case 'videoBlock':
    case 'audioBlock':
      return toConverseMedia(block);
    case 'documentBlock':
      return toConverseDocument(block);
    case 'guardContentBlock':
      return {
        guardContent: block.text
          ? { text: { text: block.text.text, qualifiers: block.text.qualifiers } }
          : { image: { format: block.image?.format, source: { bytes: block.image?.source.bytes } } },
      };
    default:
      return block.toJSON();
  }
}

function toConverseToolResultContent(content: ToolResultContent): Json {
  switch (content.type) {
    case 'textBlock':
      return { text: content.text };
    case 'jsonBlock':
      return { json: content.json };
    case 'documentBlock':
      return toConverseDocument(content);
    default:
      return toConverseMedia(content);
  }
}

function toConverseMedia(block: MediaBlock): Json {
  const key = block.type === 'imageBlock' ? 'image' : block.type === 'videoBlock' ? 'video' : 'audio';
  const format = block.format === '3gp' ? 'three_gp' : block.format;
  const source = block.source;
  let converseSource: Json;
  if ('bytes' in source) converseSource = { bytes: source.bytes };
  else if ('url' in source) converseSource = { url: source.url };
  else converseSource = { s3Location: s3LocationOf(source.location) };
  return { [key]: { format, source: converseSource } };
}

function toConverseDocument(block: DocumentBlock): Json {
  const source = block.source;
  let converseSource: Json;
  if (source.type === 'documentSourceBytes') converseSource = { bytes: source.bytes };
  else if (source.type === 'documentSourceText') converseSource = { text: source.text };
  else if (source.type === 'documentSourceContentBlock') {
    converseSource = { content: source.content.map((text) => ({ text: text.text })) };
  } else converseSource = { s3Location: s3LocationOf(source.location) };
  return {
    document: {
      name: block.name,
      format: block.format,
      source: converseSource,
      ...(block.citations !== undefined && { citations: block.citations }),
      ...(block.context !== undefined && { context: block.context }),
    },
  };
}

function s3LocationOf(location: { uri: string; bucketOwner?: string }): Json {
  return { uri: location.uri, ...(location.bucketOwner !== undefined && { bucketOwner: location.bucketOwner }) };
}

function toStrandsBlockData(block: Json): Json | undefined {
  if (typeof block.text === 'string') return { text: block.text };
  if (isJson(block.toolUse)) return { toolUse: block.toolUse };
  if (isJson(block.toolResult)) {
    const { toolUseId, status, content } = block.toolResult;
    return {
      toolResult: {
        toolUseId,
        status: status ?? 'success',
        content: (Array.isArray(content) ? (content as Json[]) : []).map(toStrandsToolResultContent),
      },
    };
  }
  if (isJson(block.reasoningContent)) {
    const { reasoningText, redactedContent } = block.reasoningContent;
    return {
      reasoning: isJson(reasoningText)
        ? {
            text: reasoningText.text,
            ...(reasoningText.signature !== undefined && { signature: reasoningText.signature }),
          }
        : { redactedContent },
    };
  }
  if (isJson(block.cachePoint)) {
    const { type, cacheType, ttl } = block.cachePoint;
    return { cachePoint: { cacheType: cacheType ?? type, ...(ttl !== undefined && { ttl }) } };
  }
  for (const key of ['image', 'video', 'audio', 'document'] as const) {
    if (isJson(block[key])) return { [key]: toStrandsMedia(block[key]) };
  }
  // Blocks stored in their Strands form, and guard content, which both forms share.
  for (const key of ['guardContent', 'reasoning', 'citations'] as const) {
    if (isJson(block[key])) return { [key]: block[key] };
  }
  return undefined;
}

function toStrandsToolResultContent(content: Json): Json {
  if (typeof content.text === 'string') return { text: content.text };
  for (const key of ['image', 'video', 'document'] as const) {
    if (isJson(content[key])) return { [key]: toStrandsMedia(content[key]) };
  }
  return { json: content.json };
}

function toStrandsMedia(media: Json): Json {
  const source = isJson(media.source) ? media.source : {};
  const strandsSource = isJson(source.s3Location) ? { location: { type: 's3', ...source.s3Location } } : source;
  return { ...media, format: media.format === 'three_gp' ? '3gp' : media.format, source: strandsSource };
}

function isJson(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Uint8Array);
}
