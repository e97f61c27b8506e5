/**
 * Errors a user can act on. Each has a stable code and a one-line message that says how to fix it;
 * the CLI prints `error: <message>` and exits 2 for these, never a stack trace.
 */
import { ErrorCodes, type ConfigErrorCode } from './error-codes.js';

export class ConfigError extends Error {
  readonly code: ConfigErrorCode;
  constructor(code: ConfigErrorCode, message: string) {
    super(message);
    this.name = 'ConfigError';
    this.code = code;
  }
}

/** Several configuration problems found at once (rule 8: report all of them before any user starts). */
export class ConfigErrors extends Error {
  readonly code = ErrorCodes.CONFIG_ERRORS;
  readonly problems: ConfigError[];
  constructor(problems: ConfigError[]) {
    super(problems.map((p) => p.message).join('; '));
    this.name = 'ConfigErrors';
    this.problems = problems;
  }
}

export function isConfigError(e: unknown): e is ConfigError | ConfigErrors {
  return e instanceof ConfigError || e instanceof ConfigErrors;
}
