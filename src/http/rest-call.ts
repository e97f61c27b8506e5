/**
 * Locust's FastHttpUser.rest(): a JSON request whose response is checked in a block. Python's
 * `with self.rest("POST", "/x", json=…) as resp:` is `await this.rest('POST', '/x', { json: … },
 * (resp) => { … })` here. As Locust's:
 * - Content-Type and Accept default to application/json (a header the task gives wins, any case);
 * - the request is a catchResponse one: the block may call resp.success()/resp.failure(), and an
 *   undecided one is judged by its status as usual; it is recorded when the block is over, as
 *   Locust's with-block (so a request listener's RescheduleTask ends the task there);
 * - the body is parsed into `resp.js` (null when empty or not JSON; a body that is not JSON fails
 *   the request, saying so, and the block still runs);
 * - whatever the block throws fails the request instead of the task: an assertion with its
 *   message (one ending in a comma gets the response text appended; none: "Assertion failed"), anything else with its name,
 *   message, where it was thrown and the start of the response. The task goes on after the call.
 * A user signal (this.stop(), this.interrupt()) is not an error: it goes through.
 */
import { fileURLToPath } from 'node:url';
import { dirname, sep } from 'node:path';
import { userSignalOf } from '../core/user-signals.js';
import { RECORD_NOW, type HttpSession, type RequestOptions } from './client.js';
import type { BroodResponse } from './response.js';

/** The response of rest(): a catchResponse response with its parsed JSON body. */
export type RestResponse<T = unknown> = BroodResponse & { js: T | null };

/** The block of rest(): checks the response (sync or async); what it throws fails the request. */
export type RestCheck<T = unknown> = (resp: RestResponse<T>) => unknown;

const JSON_TYPE = 'application/json';
/** How much of a body a failure quotes (Locust's lengths). */
const PARSE_QUOTE = 250;
const ERROR_QUOTE = 200;
/** Stack frames under this directory (brood's compiled src/) are brood's own, not the test file's. */
const BROOD_DIR = dirname(dirname(fileURLToPath(import.meta.url)));

/** Sends a rest() request, parses its JSON, runs `check`, and returns the response. */
export async function restCall<T>(client: HttpSession, method: string, url: string, options: RequestOptions, check: RestCheck<T> | null): Promise<RestResponse<T>> {
  if (check !== null && typeof check !== 'function') throw new TypeError(`rest(method, url, options, check): check is the with-block, a function (resp) => …; got ${typeof check}`);
  if (options.catchResponse === false) throw new TypeError('rest() always catches its response (Locust\'s catch_response=True): drop catchResponse: false, or use this.client.request()');
  const headers = withJsonDefaults(options);
  const response = await client.request(method, url, { ...options, ...(headers === null ? {} : { headers }), catchResponse: true });
  const resp = Object.assign(response, { js: null as T | null });
  const text = bodyText(resp);
  if (resp.status === 0 && resp.error !== null) resp.failure(resp.error);
  else if (typeof text === 'string' && text.length > 0) {
    try {
      resp.js = JSON.parse(text) as T;
    } catch (e) {
      resp.failure(`Could not parse response as JSON. ${text.slice(0, PARSE_QUOTE)}, response code ${resp.status}, error ${errorMessage(e)}`);
    }
  } else if (text instanceof Error) resp.failure(text.message);
  if (check !== null) {
    try {
      await check(resp);
    } catch (e) {
      // A signal leaves the response to be recorded when the task ends, as any catchResponse one.
      if (userSignalOf(e) !== null) throw e;
      // No response at all reads "null" (Locust's None), an empty body "".
      resp.failure(blockFailure(e, resp.status === 0 || typeof text !== 'string' ? null : text));
    }
  }
  client[RECORD_NOW](resp);
  return resp;
}

/** rest()'s optional arguments, `(options?, check?)` or `(check)`, as options and the check (null: none). */
export function restArguments<T>(optionsOrCheck: RequestOptions | RestCheck<T> | undefined, check: RestCheck<T> | undefined): [RequestOptions, RestCheck<T> | null] {
  return typeof optionsOrCheck === 'function' ? [{}, optionsOrCheck] : [optionsOrCheck ?? {}, check ?? null];
}

/** `url` with Locust's cache-breaking `_=<ms>` parameter, and the name it is recorded under unless one is given (rest_()). */
export function cacheBreaking(url: string, nowMs: number): { url: string; name: string } {
  const separator = url.includes('?') ? '&' : '?';
  return { url: `${url}${separator}_=${Math.floor(nowMs)}`, name: `${url}${separator}_=...` };
}

/**
 * The task's headers with Content-Type and Accept defaulted to JSON, or null when nothing is added.
 * Content-Type is left to a form or multipart body, whose encoding names its own type (a JSON type
 * there would make the server misread it).
 */
function withJsonDefaults(options: RequestOptions): RequestOptions['headers'] | null {
  const given = options.headers ?? {};
  const names = new Set(Object.keys(given).map((n) => n.toLowerCase()));
  const ownType = options.form !== undefined || options.files !== undefined || (options.data !== undefined && typeof options.data !== 'string') ||
    options.body instanceof URLSearchParams || options.body instanceof FormData;
  const added: Record<string, string> = {};
  if (!names.has('content-type') && !ownType) added['Content-Type'] = JSON_TYPE;
  if (!names.has('accept')) added.Accept = JSON_TYPE;
  return Object.keys(added).length === 0 ? null : { ...added, ...given };
}

/** The body as text, or the error reading it (too large, a broken encoding). */
function bodyText(resp: BroodResponse): string | Error {
  try {
    return resp.text();
  } catch (e) {
    return e instanceof Error ? e : new Error(String(e));
  }
}

/** What the block threw, as the request's failure. */
function blockFailure(e: unknown, text: string | null): string {
  const quoted = text === null ? 'null' : text.slice(0, ERROR_QUOTE);
  if (e instanceof Error && e.name === 'AssertionError') {
    if ((e as { generatedMessage?: boolean }).generatedMessage === false) {
      // The task's own message is the failure, as in Locust: node:assert/strict appends its diff on
      // the lines after it ("msg\n\n1 !== 2"), which would split one failure into a row per value.
      const own = (e.message.split('\n')[0] ?? '').trim();
      if (own.endsWith(',')) return `${own.slice(0, -1)}, response was ${quoted}`;
      if (own !== '') return own;
    }
    // No message of the task's: Locust's words for a bare assert. node:assert's own message quotes
    // the values, which would make a row per value of one failing check.
    return 'Assertion failed';
  }
  const name = e instanceof Error ? e.name : typeof e;
  const where = e instanceof Error ? thrownAt(e.stack ?? '') : '';
  return `${name}: ${errorMessage(e)}${where === '' ? '' : ` at ${where}`}. Response was ${quoted}`;
}

/** The test file's frames of a stack (not Node's, not brood's, not a dependency's), home directories shortened as Locust does. */
function thrownAt(stack: string): string {
  const frames: string[] = [];
  for (const line of stack.split('\n')) {
    const m = /^\s+at (?:.*? \()?(?:file:\/\/)?([^()]+?):(\d+):\d+\)?$/.exec(line);
    if (m === null) continue;
    const file = m[1] as string;
    if (file.startsWith('node:') || file.startsWith(BROOD_DIR + sep) || file.includes(`${sep}node_modules${sep}`)) continue;
    frames.push(`${file.replace(/^\/(?:home|Users)\/[^/]+\//, '~/')}:${m[2]}`);
    if (frames.length === 3) break;
  }
  return frames.join(', ');
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
