/**
 * Where a WebSocketUser connects: its base URL (ws://, wss://, or http(s):// meaning the same
 * server's WebSocket side) joined with the path `connect()` was given. Pure.
 */
import { ConfigError } from '../core/errors.js';

const SCHEMES: Readonly<Record<string, string>> = { 'ws:': 'ws:', 'wss:': 'wss:', 'http:': 'ws:', 'https:': 'wss:' };

/** "http://h:1/api" + "/chat?x=1" → "ws://h:1/api/chat?x=1"; an absolute ws(s):// path is taken as it is. */
export function wsUrl(baseUrl: string, path: string): URL {
  if (/^wss?:\/\//i.test(path)) return new URL(path);
  const base = new URL(baseUrl);
  const scheme = SCHEMES[base.protocol];
  if (scheme === undefined) {
    throw new ConfigError('BAD_HOST', `a WebSocketUser connects to ws://, wss://, http:// or https:// hosts, not ${base.protocol}//`);
  }
  const prefix = base.pathname.replace(/\/+$/, '');
  const joined = new URL(`${prefix}${path.startsWith('/') ? '' : '/'}${path}`, base);
  joined.protocol = scheme;
  return joined;
}
