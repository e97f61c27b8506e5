/**
 * HTTP basic auth, from `auth: [user, password]` or from credentials in a URL
 * (`-H http://user:pass@host`). The credentials are taken out of the URL where it is read, so no
 * later console line, log, CSV, JSON, HTML or trace can carry the password.
 */
import { decodeUrlCredential } from '../core/credentials-text.js';
import type { BasicAuth } from './request-options.js';

/** `Basic base64(user:password)`, UTF-8 as browsers and curl send it. */
export function basicAuthHeader(auth: BasicAuth): string {
  return `Basic ${Buffer.from(`${auth[0]}:${auth[1]}`, 'utf8').toString('base64')}`;
}

/** A URL's own credentials (percent-decoded as Python's requests does), or null when it has none. */
export function urlCredentials(url: URL): BasicAuth | null {
  if (url.username === '' && url.password === '') return null;
  return [decodeUrlCredential(url.username), decodeUrlCredential(url.password)];
}

/**
 * `http://user:pass@host/x` → `{ url: 'http://host/x', auth: ['user', 'pass'] }`. Text that is not
 * a URL comes back as it is, with no auth.
 */
export function splitCredentials(text: string): { url: string; auth: BasicAuth | null } {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { url: text, auth: null };
  }
  const auth = urlCredentials(url);
  if (auth === null) return { url: text, auth: null };
  url.username = '';
  url.password = '';
  // URL adds a "/" to a bare origin; keep the user's form (the host without a trailing slash).
  const clean = url.href.endsWith('/') && !text.endsWith('/') && url.pathname === '/' ? url.href.slice(0, -1) : url.href;
  return { url: clean, auth };
}

// Pure text, so layers below http/ (report/'s exporters) mask URLs the same way.
export { redactCredentials } from '../core/credentials-text.js';
