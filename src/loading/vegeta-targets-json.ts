/**
 * Vegeta's json targets format (`-format=json`): one object per line, `method`, `url`, `body`
 * (base64) and `header` (an object of string lists), read as lib/targets.go and
 * lib/target.schema.json define it. The checks a target's fields share with the http format are
 * vegeta-target-rules.ts's.
 */
import { addHeader, checkMethod, checkUrl, MAX_PROBLEMS, q, report, standIn, type ParseContext, type VegetaTarget } from './vegeta-target-rules.js';

const JSON_KEYS = new Set(['method', 'url', 'body', 'header']);
export const JSON_EXAMPLE = '{"method":"GET","url":"https://example.com/"}';

/**
 * One object per line, blank lines skipped. Differs from Vegeta, which silently drops a last line
 * with no newline after it (its test "no new line"): here every line counts.
 */
export function parseJsonLines(lines: string[], ctx: ParseContext): VegetaTarget[] {
  const targets: VegetaTarget[] = [];
  for (let i = 0; i < lines.length && ctx.problems.length < MAX_PROBLEMS; i++) {
    const line = (lines[i] ?? '').trim();
    if (line === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (e) {
      const why = e instanceof Error ? e.message.replace(/\s+/g, ' ') : String(e);
      report(ctx, i + 1, `not a JSON object (${why}): the json format is one object per line, e.g. ${JSON_EXAMPLE}`);
      continue;
    }
    const target = jsonTarget(value, i + 1, ctx);
    if (target !== null) targets.push(target);
  }
  return targets;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Stricter than Vegeta's decoder, as its schema (lib/target.schema.json) is: no keys besides the
 * four ("additionalProperties": false), and no null in place of a string or a list (Vegeta skips
 * both silently, so a misspelt "headers" sent none).
 */
function jsonTarget(value: unknown, n: number, ctx: ParseContext): VegetaTarget | null {
  if (!isRecord(value)) {
    report(ctx, n, `expected a JSON object like ${JSON_EXAMPLE}, got ${Array.isArray(value) ? 'an array' : q(JSON.stringify(value))}`);
    return null;
  }
  const before = ctx.problems.length;
  for (const key of Object.keys(value)) {
    if (!JSON_KEYS.has(key)) report(ctx, n, `unknown key ${q(key)}: a target has only "method", "url", "body" and "header"`);
  }
  const target = standIn(n);
  target.method = jsonString(value, 'method', n, ctx, checkMethod);
  target.url = jsonString(value, 'url', n, ctx, checkUrl);
  if ('body' in value) target.body = jsonBody(value.body, n, ctx);
  if ('header' in value) jsonHeaders(value.header, n, target, ctx);
  return ctx.problems.length === before ? target : null;
}

function jsonString(value: Record<string, unknown>, key: 'method' | 'url', n: number, ctx: ParseContext, check: (s: string) => string | null): string {
  const field = value[key];
  if (field === undefined || field === '') report(ctx, n, `"${key}" is required: e.g. ${JSON_EXAMPLE}`);
  else if (typeof field !== 'string') report(ctx, n, `"${key}" must be a string, got ${q(JSON.stringify(field))}`);
  else {
    const problem = check(field);
    if (problem === null) return field;
    report(ctx, n, problem);
  }
  return '';
}

/** Vegeta sends no body for an empty one, so "" is no body here too. */
function jsonBody(body: unknown, n: number, ctx: ParseContext): Buffer | null {
  if (typeof body !== 'string') {
    report(ctx, n, `"body" must be a base64 string (leave the key out for no body), got ${q(JSON.stringify(body))}`);
    return null;
  }
  const bytes = decodeBase64(body);
  if (bytes === null) report(ctx, n, `"body" is not valid base64: ${q(body)} (encode the bytes with standard base64, e.g. base64 -w0 file)`);
  return bytes !== null && bytes.length > 0 ? bytes : null;
}

/**
 * Strict standard base64: Buffer.from skips what it does not know, so the text must be what
 * re-encoding gives back. Padding may be left out (Vegeta's Go decoder wants it; jq's @base64
 * writes it, other tools do not).
 */
function decodeBase64(text: string): Buffer | null {
  const bare = text.replace(/={1,2}$/, '');
  if (!/^[A-Za-z0-9+/]*$/.test(bare)) return null;
  if (bare.length !== text.length && text.length % 4 !== 0) return null;
  const bytes = Buffer.from(bare, 'base64');
  return bytes.toString('base64').replace(/=+$/, '') === bare ? bytes : null;
}

function jsonHeaders(header: unknown, n: number, target: VegetaTarget, ctx: ParseContext): void {
  if (!isRecord(header)) {
    report(ctx, n, `"header" must be an object of string lists, e.g. {"Content-Type":["application/json"]}, got ${q(JSON.stringify(header))}`);
    return;
  }
  for (const [name, values] of Object.entries(header)) {
    if (!Array.isArray(values) || !values.every((v): v is string => typeof v === 'string')) {
      report(ctx, n, `"header" ${q(name)} must be a list of strings, e.g. {${JSON.stringify(name)}:["value"]}, got ${q(JSON.stringify(values))}`);
      continue;
    }
    for (const v of values) addHeader(name, v, n, target, ctx);
  }
}
