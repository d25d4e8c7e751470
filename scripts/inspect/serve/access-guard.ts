/**
 * Who may talk to the inspector's local web server: only the browser tab of the operator
 * who started it, from the page it served.
 *
 * The printed URL carries a one-time token. Its first use exchanges it for a session
 * secret in an HttpOnly, SameSite=Strict cookie and redirects to the bare page, so the
 * token leaves the address bar and browser history at once and a copy of the URL (shell
 * scroll-back, a screen share) is worthless after that. A cookie rather than a header:
 * the page's script never holds the secret (HttpOnly), and the export downloads through
 * a plain link, which cannot carry a header. Cookies ignore ports, so the browser would
 * also send it to another server on 127.0.0.1; the cookie is named after this port, lives
 * only as long as the browser session, and is useless once this server stops.
 *
 * Every request must also name this server exactly as `Host` (a DNS-rebinding page
 * reaches 127.0.0.1 under its own name), and come from this origin: a page on another
 * port of 127.0.0.1 is same-site, so SameSite alone would still send it the cookie.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const TOKEN_PARAMETER = 'token';

export type AccessDecision =
  | { readonly kind: 'allowed' }
  /** The one-time token was presented: set `cookie` and send the browser to `location`. */
  | { readonly kind: 'exchange'; readonly cookie: string; readonly location: string }
  | { readonly kind: 'refused'; readonly status: 401 | 403; readonly reason: string };

const secret = () => randomBytes(32).toString('base64url');
const digest = (value: string) => createHash('sha256').update(value).digest();
/** Constant time whatever the lengths: both sides are hashed to 32 bytes first. */
const sameSecret = (presented: string, expected: string) => timingSafeEqual(digest(presented), digest(expected));

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export class AccessGuard {
  /** The token in the printed URL, accepted once. */
  readonly oneTimeToken = secret();
  private readonly sessionSecret = secret();
  private tokenUsed = false;

  constructor(private readonly port: number) {}

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get cookieName(): string {
    return `agentcore_inspector_${this.port}`;
  }

  /** The URL to print: the page, with the one-time token. */
  get startUrl(): string {
    return `${this.origin}/?${TOKEN_PARAMETER}=${this.oneTimeToken}`;
  }

  decide(request: IncomingMessage): AccessDecision {
    const expectedHost = `127.0.0.1:${this.port}`;
    if (request.headers.host !== expectedHost) {
      return refused(403, `Host must be ${expectedHost}`);
    }
    const origin = request.headers.origin;
    if (origin !== undefined && origin !== this.origin) return refused(403, 'cross-origin request');
    const fetchSite = request.headers['sec-fetch-site'];
    // 'none': the operator typed or pasted the URL; anything else but same-origin came from another page.
    if (fetchSite !== undefined && fetchSite !== 'same-origin' && fetchSite !== 'none') {
      return refused(403, 'cross-origin request');
    }
    const method = request.method ?? 'GET';
    // Browsers send Origin with every state-changing fetch; a change without one is not from the page.
    if (STATE_CHANGING.has(method) && origin === undefined) return refused(403, 'a change must come from the page');

    const url = new URL(request.url ?? '/', this.origin);
    const token = url.searchParams.get(TOKEN_PARAMETER);
    if (token !== null) {
      if (method !== 'GET' || url.pathname !== '/' || this.tokenUsed || !sameSecret(token, this.oneTimeToken)) {
        return refused(401, 'the token is wrong or was already used; start the inspector again for a new URL');
      }
      this.tokenUsed = true;
      return {
        kind: 'exchange',
        cookie: `${this.cookieName}=${this.sessionSecret}; HttpOnly; SameSite=Strict; Path=/`,
        location: '/',
      };
    }
    const presented = cookieValue(request.headers.cookie, this.cookieName);
    if (presented === undefined || !sameSecret(presented, this.sessionSecret)) {
      return refused(401, 'open the URL the inspector printed (its token is good once)');
    }
    return { kind: 'allowed' };
  }
}

function refused(status: 401 | 403, reason: string): AccessDecision {
  return { kind: 'refused', status, reason };
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const separator = part.indexOf('=');
    if (separator > 0 && part.slice(0, separator).trim() === name) return part.slice(separator + 1).trim();
  }
  return undefined;
}
