import * as z from 'zod/mini';
import { textOutcome, type AgentTool, type ToolOutcome } from './tool.js';

const inputSchema = z.object({ timezone: z.optional(z.string().check(z.minLength(1))) });

/** `current_time`: the current date and time, in UTC or an IANA time zone. */
export class CurrentTimeTool implements AgentTool {
  readonly spec = {
    name: 'current_time',
    description:
      'Returns the current date and time. Optionally in an IANA time zone such as "Europe/Paris" (default UTC).',
    inputSchema: {
      json: {
        type: 'object',
        properties: {
          timezone: { type: 'string', description: 'IANA time zone name, for example "America/New_York".' },
        },
        required: [],
      },
    },
  };

  constructor(private readonly now: () => Date = () => new Date()) {}

  async run(input: unknown): Promise<ToolOutcome> {
    const parsed = inputSchema.safeParse(input ?? {});
    if (!parsed.success) return textOutcome('timezone must be a non-empty string', 'error');
    const timeZone = parsed.data.timezone ?? 'UTC';
    try {
      const formatted = new Intl.DateTimeFormat('en-US', { timeZone, dateStyle: 'full', timeStyle: 'long' }).format(
        this.now(),
      );
      return textOutcome(`${formatted} (${timeZone}); ISO 8601 UTC: ${this.now().toISOString()}`);
    } catch {
      return textOutcome(`unknown time zone "${timeZone}"; use an IANA name such as "Europe/Paris"`, 'error');
    }
  }
}
