/** Masks the password of any `scheme://user:password@` in free text (for messages that echo input). */
export function redactCredentials(text: string): string {
  return text.replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^/\s:@]*):[^/\s@]*@/gi, '$1:***@');
}

/**
 * A URL's user or password as written, percent-decoded the way Python's `unquote` (which requests
 * uses for URL credentials) decodes it: each run of `%XX` escapes becomes its UTF-8 text, and a `%`
 * that starts no valid escape (`p%zz`) stays as it is, instead of failing the way
 * decodeURIComponent does ("URI malformed").
 */
export function decodeUrlCredential(text: string): string {
  if (!text.includes('%')) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    return text.replace(/(?:%[0-9a-fA-F]{2})+/g, (run) => Buffer.from(run.replace(/%/g, ''), 'hex').toString('utf8'));
  }
}

/** `Basic base64(user:password)`, UTF-8 as browsers and curl send it (HTTP, WebSocket, gRPC metadata, scrapes). */
export function basicAuthHeader(auth: readonly [string, string]): string {
  return `Basic ${Buffer.from(`${auth[0]}:${auth[1]}`, 'utf8').toString('base64')}`;
}

/** A URL's own credentials (percent-decoded as Python's requests does), or null when it has none. */
export function urlCredentials(url: URL): [string, string] | null {
  if (url.username === '' && url.password === '') return null;
  return [decodeUrlCredential(url.username), decodeUrlCredential(url.password)];
}
