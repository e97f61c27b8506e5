/**
 * Errors a user can act on. Each has a stable code and a one-line message that says how to fix it;
 * the CLI prints `error: <message>` and exits 2 for these, never a stack trace.
 */
export type ConfigErrorCode =
  | 'BAD_ARGUMENT'
  | 'BAD_DURATION'
  | 'BAD_NUMBER'
  | 'BAD_HOST'
  | 'UNKNOWN_SCENARIO'
  | 'NO_TEST'
  | 'TEST_FILE_MISSING'
  | 'TEST_FILE_SYNTAX'
  | 'TEST_FILE_IMPORT'
  | 'NO_USER_CLASS'
  | 'BAD_USER_CLASS'
  | 'BAD_TASKS'
  | 'BAD_WAIT_TIME'
  | 'BAD_SHAPE'
  | 'BAD_TARGET'
  | 'OUTPUT_NOT_WRITABLE'
  | 'BAD_TLS_FILE'
  | 'BAD_INPUT';

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
