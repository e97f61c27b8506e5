import { MAX_DURATION_SEC, MAX_DURATION_TEXT } from './duration.js';
import { ConfigError } from './errors.js';

/** One request to replay (see src/report/trace-writer.ts for the file format). */
export interface ReplayRecord {
  t: number;
  user: number;
  method: string;
  path: string;
  name: string;
  headers: Record<string, string> | undefined;
  body: string | Uint8Array | undefined;
}

const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);

/**
 * Parses trace text (JSON lines) into records sorted by send time. A line that is not a request
 * record is an error naming its line number; the optional header line is skipped.
 */
export function parseTrace(text: string, file: string): ReplayRecord[] {
  const records: ReplayRecord[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]?.trim();
    if (!raw) continue;
    const where = `${file}:${i + 1}`;
    let v: Record<string, unknown>;
    try {
      v = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      throw new ConfigError('BAD_INPUT', `${where}: not a JSON line`);
    }
    if (v.trace !== undefined && v.t === undefined) continue;
    if (typeof v.t !== 'number' || !(v.t >= 0)) throw new ConfigError('BAD_INPUT', `${where}: "t" must be seconds >= 0`);
    // A replay lasts as long as its last offset: one absurd `t` would make the run endless.
    if (v.t > MAX_DURATION_SEC) throw new ConfigError('BAD_INPUT', `${where}: "t" ${v.t} is later than the longest run brood accepts (${MAX_DURATION_TEXT} = ${MAX_DURATION_SEC} s)`);
    const method = typeof v.method === 'string' ? v.method.toUpperCase() : '';
    if (!METHODS.has(method)) throw new ConfigError('BAD_INPUT', `${where}: "method" must be one of ${[...METHODS].join(', ')}`);
    if (typeof v.path !== 'string' || !v.path.startsWith('/')) throw new ConfigError('BAD_INPUT', `${where}: "path" must start with /`);
    const headers = v.headers && typeof v.headers === 'object' ? (v.headers as Record<string, string>) : undefined;
    let body: string | Uint8Array | undefined;
    if (typeof v.body === 'string') body = v.body;
    else if (typeof v.body_base64 === 'string') body = Buffer.from(v.body_base64, 'base64');
    else if (typeof v.body_size === 'number' && v.body_size > 0) body = Buffer.alloc(Math.min(v.body_size, 64 * 1024 * 1024), 0x78);
    records.push({
      t: v.t,
      user: typeof v.user === 'number' && Number.isInteger(v.user) ? v.user : 0,
      method,
      path: v.path,
      name: typeof v.name === 'string' ? v.name : v.path.split('?')[0] ?? v.path,
      headers,
      body,
    });
  }
  if (records.length === 0) throw new ConfigError('BAD_INPUT', `${file}: the trace has no request records`);
  return records.sort((a, b) => a.t - b.t);
}
