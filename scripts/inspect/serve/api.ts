/**
 * The page's JSON API over one user's memory, and the export download. It answers in the
 * library's own shapes; a change's refusal is 403, a record that does not exist 404, an
 * input AgentCore would reject 400, and a failed AWS call 502 with what to do.
 */
import type { ServerResponse } from 'node:http';
import { InspectorInputError, type ChangeOutcome, type MemoryInspector } from '../../../lambda/inspector/index.js';
import { describeAwsFailure } from '../../cli/aws-preflight.js';
import { writeExport } from '../export-writer.js';
import { collect, newestFirst, strategyLabel } from '../render.js';
import { INSPECT_PERMISSIONS } from '../subcommand.js';
import type { ApiAnswer, ApiRequest, InspectorSite } from './server.js';

const RECORD_PATH = /^\/api\/records\/([^/]+)$/;
const SESSION_PATH = /^\/api\/sessions\/([^/]+)$/;

const ok = (body: unknown): ApiAnswer => ({ status: 200, body });
const failed = (status: number, error: string): ApiAnswer => ({ status, body: { error } });

function changeAnswer(outcome: ChangeOutcome): ApiAnswer {
  if (outcome.status === 'loaded') return ok({ change: outcome.value });
  if (outcome.status === 'notFound') return failed(404, 'no such record; it may have been deleted already');
  return failed(403, `refused (${outcome.reason}): nothing was changed`);
}

export interface InspectorSiteOptions {
  readonly inspector: MemoryInspector;
  readonly auditLogPath: string | undefined;
  /** Told about an export that failed after the download began. */
  readonly onExportFailure?: (error: unknown) => void;
  /** Told about every refused request. */
  readonly onRefused?: (description: string) => void;
}

export function inspectorSite({
  inspector,
  auditLogPath,
  onExportFailure,
  onRefused,
}: InspectorSiteOptions): InspectorSite {
  async function route({ method, pathname, query, body }: ApiRequest): Promise<ApiAnswer> {
    if (method === 'GET' && pathname === '/api/overview') {
      return ok({
        userId: inspector.userId,
        actorId: inspector.actorId,
        memoryId: inspector.memoryId,
        auditLog: auditLogPath,
        strategies: Object.fromEntries(
          inspector.strategies.map(({ strategyId }) => [strategyId, strategyLabel(inspector.strategies, strategyId)]),
        ),
      });
    }
    if (method === 'GET' && pathname === '/api/records') {
      const text = query.get('query')?.trim() ?? '';
      if (text === '') return ok({ records: await collect(inspector.records()) });
      const records =
        query.get('mode') === 'semantic' ? await inspector.searchSemantic(text) : await inspector.searchText(text);
      return ok({ records });
    }
    if (method === 'GET' && pathname === '/api/sessions') {
      return ok({ sessions: (await collect(inspector.sessions())).sort(newestFirst) });
    }
    const session = SESSION_PATH.exec(pathname);
    if (method === 'GET' && session !== null) {
      // ListEvents answers newest first; a conversation reads oldest first.
      return ok({ events: (await collect(inspector.events(decodeURIComponent(session[1])))).reverse() });
    }
    const record = RECORD_PATH.exec(pathname);
    if (record !== null) {
      const memoryRecordId = decodeURIComponent(record[1]);
      if (method === 'DELETE') return changeAnswer(await inspector.deleteRecord(memoryRecordId));
      if (method === 'PUT') {
        const text = (body as { text?: unknown } | undefined)?.text;
        if (typeof text !== 'string') return failed(400, 'send {"text": "<the corrected text>"}');
        return changeAnswer(await inspector.correctRecord(memoryRecordId, text));
      }
      return failed(405, `${method} is not allowed here`);
    }
    return failed(404, `nothing at ${method} ${pathname}`);
  }

  return {
    api: async (request) => {
      try {
        return await route(request);
      } catch (error) {
        if (error instanceof InspectorInputError) return failed(400, error.message);
        if (error instanceof URIError) return failed(400, `${request.pathname} is not a well-formed path`);
        const failure = describeAwsFailure(error, INSPECT_PERMISSIONS);
        return failed(502, `${failure.type}: ${failure.message}`);
      }
    },
    exportFileName: () => `memory-export-${inspector.actorId}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`,
    writeExport: async (response: ServerResponse) => {
      await writeExport(inspector, response);
    },
    ...(onExportFailure !== undefined && { onExportFailure }),
    ...(onRefused !== undefined && { onRefused }),
  };
}
