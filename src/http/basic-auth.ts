/**
 * HTTP basic auth, from `auth: [user, password]` or from credentials in a URL
 * (`-H http://user:pass@host`). The credentials are taken out of the URL where it is read, so no
 * later console line, log, CSV, JSON, HTML or trace can carry the password.
 */
import { urlCredentials } from '../core/credentials-text.js';
import type { BasicAuth } from './request-options.js';

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

// Pure text, so layers below http/ (report/'s exporters, monitor/'s scrapes) mask URLs and send
// credentials the same way.
export { basicAuthHeader, redactCredentials, urlCredentials } from '../core/credentials-text.js';
