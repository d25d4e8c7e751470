/**
 * The inspector's local server at the HTTP level: who gets an answer, and what every answer
 * carries. The page in a browser is page.browser.test.ts.
 */
import { request as httpRequest } from 'node:http';
import {
  CONTENT_SECURITY_POLICY,
  startInspectorServer,
  type ApiRequest,
  type RunningInspectorServer,
} from '../../../scripts/inspect/serve/server.js';

let server: RunningInspectorServer;
const apiRequests: ApiRequest[] = [];
const refusals: string[] = [];

beforeEach(async () => {
  apiRequests.length = 0;
  refusals.length = 0;
  server = await startInspectorServer({
    api: async (request) => {
      apiRequests.push(request);
      return { status: 200, body: { ok: true } };
    },
    exportFileName: () => 'export.json',
    writeExport: async (response) => {
      response.write('{"format":');
      response.write('"x"}');
    },
    onRefused: (description) => refusals.push(description),
  });
});

afterEach(() => server.close());

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

function ask(pathAndQuery: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  return new Promise<Answer>((resolve, reject) => {
    const request = httpRequest(
      `http://127.0.0.1:${server.port}${pathAndQuery}`,
      { method: options.method ?? 'GET', headers: options.headers ?? {} },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks).toString(),
          }),
        );
      },
    );
    request.on('error', reject);
    request.end(options.body);
  });
}

/** Opens the printed URL and returns the session cookie it sets. */
async function session(): Promise<string> {
  const opened = await ask(new URL(server.url).pathname + new URL(server.url).search);
  expect(opened.status).toBe(303);
  expect(opened.headers.location).toBe('/');
  const [cookie] = opened.headers['set-cookie'] as string[];
  return cookie.split(';')[0];
}

const ORIGIN = () => `http://127.0.0.1:${server.port}`;

describe('the inspector server', () => {
  test('listens on 127.0.0.1 and prints a URL with 32 random bytes as its token', () => {
    expect(server.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${server.port}/\\?token=[A-Za-z0-9_-]{43}$`));
  });

  test('the token is good once: it becomes an HttpOnly SameSite=Strict cookie for this port, then is refused', async () => {
    const opened = await ask(new URL(server.url).pathname + new URL(server.url).search);
    expect(opened.headers['set-cookie']).toEqual([
      expect.stringMatching(
        new RegExp(`^agentcore_inspector_${server.port}=[A-Za-z0-9_-]{43}; HttpOnly; SameSite=Strict; Path=/$`),
      ),
    ]);
    expect((opened.headers['set-cookie'] as string[])[0]).not.toContain(server.guard.oneTimeToken);
    const again = await ask(new URL(server.url).pathname + new URL(server.url).search);
    expect(again.status).toBe(401);
    expect(again.body).toContain('already used');
  });

  test('a wrong token, or none, is 401; so is a wrong cookie', async () => {
    expect((await ask('/?token=guess')).status).toBe(401);
    expect((await ask('/')).status).toBe(401);
    expect(
      (await ask('/api/records', { headers: { cookie: `agentcore_inspector_${server.port}=guess` } })).status,
    ).toBe(401);
    // A wrong guess does not use the token up.
    expect((await session()).length).toBeGreaterThan(40);
  });

  test('with the session: the page, its files and the API, each with the strict policy and no caching', async () => {
    const cookie = await session();
    const page = await ask('/', { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body).toContain('<script type="module" src="/inspector.js"></script>');
    expect(page.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect((await ask('/inspector.js', { headers: { cookie } })).headers['content-type']).toBe(
      'text/javascript; charset=utf-8',
    );
    expect((await ask('/inspector.css', { headers: { cookie } })).headers['content-type']).toBe(
      'text/css; charset=utf-8',
    );
    const api = await ask('/api/records?query=seat', { headers: { cookie } });
    expect(JSON.parse(api.body)).toEqual({ ok: true });
    expect(apiRequests[0]).toMatchObject({ method: 'GET', pathname: '/api/records', body: undefined });
    expect(apiRequests[0].query.get('query')).toBe('seat');
    expect((await ask('/../../etc/passwd', { headers: { cookie } })).status).toBe(404);
  });

  test('refuses another Host, another origin, a cross-site fetch, and a change without the page’s Origin', async () => {
    const cookie = await session();
    const port = server.port;
    expect((await ask('/api/records', { headers: { cookie, host: `rebound.example:${port}` } })).status).toBe(403);
    expect((await ask('/api/records', { headers: { cookie, host: `localhost:${port}` } })).status).toBe(403);
    expect((await ask('/api/records', { headers: { cookie, origin: 'http://127.0.0.1:1' } })).status).toBe(403);
    expect((await ask('/api/records', { headers: { cookie, 'sec-fetch-site': 'same-site' } })).status).toBe(403);
    expect((await ask('/api/records/r-1', { method: 'DELETE', headers: { cookie } })).status).toBe(403);
    expect(apiRequests).toEqual([]);
    expect(refusals).toEqual([
      `GET /api/records (no origin): 403, Host must be 127.0.0.1:${port}`,
      `GET /api/records (no origin): 403, Host must be 127.0.0.1:${port}`,
      'GET /api/records (http://127.0.0.1:1): 403, cross-origin request',
      'GET /api/records (same-site): 403, cross-origin request',
      'DELETE /api/records/r-1 (no origin): 403, a change must come from the page',
    ]);
    const fromPage = await ask('/api/records/r-1', {
      method: 'PUT',
      headers: { cookie, origin: ORIGIN(), 'sec-fetch-site': 'same-origin', 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'corrected' }),
    });
    expect(fromPage.status).toBe(200);
    expect(apiRequests[0]).toMatchObject({ method: 'PUT', pathname: '/api/records/r-1', body: { text: 'corrected' } });
  });

  test('a body that is not JSON, or over 1 MB, is 400 and never reaches the API', async () => {
    const cookie = await session();
    const headers = { cookie, origin: ORIGIN(), 'content-type': 'application/json' };
    expect((await ask('/api/records/r-1', { method: 'PUT', headers, body: '{not json' })).status).toBe(400);
    expect(
      (await ask('/api/records/r-1', { method: 'PUT', headers, body: `"${'x'.repeat(1024 * 1024)}"` })).status,
    ).toBe(400);
    expect(
      (
        await ask('/api/records/r-1', {
          method: 'PUT',
          headers: { ...headers, 'content-type': 'text/plain' },
          body: '{}',
        })
      ).status,
    ).toBe(400);
    expect(apiRequests).toEqual([]);
  });

  test('the export is an attachment, streamed', async () => {
    const cookie = await session();
    const exported = await ask('/export', { headers: { cookie } });
    expect(exported.status).toBe(200);
    expect(exported.headers['content-disposition']).toBe('attachment; filename="export.json"');
    expect(JSON.parse(exported.body)).toEqual({ format: 'x' });
  });
});
