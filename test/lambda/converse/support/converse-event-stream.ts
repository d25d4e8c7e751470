import { EventStreamCodec } from '@smithy/core/event-streams';
import { fromUtf8, toUtf8 } from '@smithy/core/serde';

const codec = new EventStreamCodec(toUtf8, fromUtf8);

/** One ConverseStream event as Bedrock sends it over HTTP (the AWS event-stream encoding), for local stand-ins. */
export function converseStreamEvent(eventType: string, payload: unknown): Uint8Array {
  const header = (value: string) => ({ type: 'string' as const, value });
  return codec.encode({
    headers: {
      ':event-type': header(eventType),
      ':message-type': header('event'),
      ':content-type': header('application/json'),
    },
    body: fromUtf8(JSON.stringify(payload)),
  });
}
