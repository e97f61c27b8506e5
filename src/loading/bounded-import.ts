import { parseDecimal } from '../core/decimal.js';
import { ConfigError } from '../core/errors.js';

/**
 * How long a test file may take to load (its imports and top-level awaits) before brood gives up.
 * Loading does no I/O worth this long; a file that takes it is waiting on a promise that never settles.
 */
export const LOAD_TIMEOUT_MS = 30_000;
/** Shortens LOAD_TIMEOUT_MS (milliseconds): for brood's own tests, not documented as an option. */
export const LOAD_TIMEOUT_ENV = 'BROOD_LOAD_TIMEOUT_MS';

/** The loading bound: LOAD_TIMEOUT_MS, or the variable's value (a bad value is an error naming it). */
export function loadTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  const text = env[LOAD_TIMEOUT_ENV];
  if (text === undefined) return LOAD_TIMEOUT_MS;
  const ms = parseDecimal(text);
  // Under Node's timer limit (2^31-1 ms), else the bound would fire at once.
  if (text.trim() === '' || !Number.isFinite(ms) || ms <= 0 || ms > 2 ** 31 - 1) {
    throw new ConfigError('BAD_NUMBER', `${LOAD_TIMEOUT_ENV} "${text}" must be a number of milliseconds > 0`);
  }
  return ms;
}

/** Loading a test file never finished: the one-line reason (kept apart from errors the file itself threw). */
export class LoadStalledError extends ConfigError {
  constructor(message: string) {
    super('TEST_FILE_IMPORT', message);
  }
}

/**
 * Runs `load` (an import), bounded two ways. A top-level await that never resolves leaves the
 * import pending forever: if something else keeps the event loop alive (a timer, a socket), the
 * bound's timer ends the wait; if nothing does, the loop empties and Node would exit with code 13
 * and no word, so 'beforeExit' (emitted exactly then) ends it at once with the reason.
 */
export async function importWithin<T>(load: () => Promise<T>, shown: string, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  let onEmptyLoop: (() => void) | undefined;
  const stalled = new Promise<never>((_, reject) => {
    const seconds = timeoutMs % 1000 === 0 ? `${timeoutMs / 1000} s` : `${timeoutMs} ms`;
    // Unref'd: a pending import alone must still let the loop empty, for 'beforeExit' below.
    timer = setTimeout(() => reject(new LoadStalledError(`${shown}: loading did not finish within ${seconds} (a top-level await that never resolves?)`)), timeoutMs).unref();
    onEmptyLoop = () => reject(new LoadStalledError(`${shown}: loading never finished: a top-level await waits on a promise that nothing left running can resolve`));
    process.once('beforeExit', onEmptyLoop);
  });
  try {
    return await Promise.race([load(), stalled]);
  } finally {
    clearTimeout(timer);
    if (onEmptyLoop !== undefined) process.off('beforeExit', onEmptyLoop);
  }
}
