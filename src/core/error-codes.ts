/**
 * The stable `code` of each error brood throws into a test's code or prints for its user. Match on
 * the code, never on the message: messages get better, codes stay (a code is only ever added).
 * README "Error codes" says when each is thrown. analyze-results has its own set
 * (analyze/analyze-error.ts): it is a separate tool and never throws into a test.
 */

/** ConfigError: a configuration problem found before any user starts (the CLI prints it and exits 2). */
export const ConfigErrorCodes = Object.freeze({
  BAD_ARGUMENT: 'BAD_ARGUMENT',
  BAD_DURATION: 'BAD_DURATION',
  BAD_NUMBER: 'BAD_NUMBER',
  BAD_HOST: 'BAD_HOST',
  UNKNOWN_SCENARIO: 'UNKNOWN_SCENARIO',
  NO_TEST: 'NO_TEST',
  TEST_FILE_MISSING: 'TEST_FILE_MISSING',
  TEST_FILE_SYNTAX: 'TEST_FILE_SYNTAX',
  TEST_FILE_IMPORT: 'TEST_FILE_IMPORT',
  NO_USER_CLASS: 'NO_USER_CLASS',
  BAD_USER_CLASS: 'BAD_USER_CLASS',
  BAD_TASKS: 'BAD_TASKS',
  BAD_WAIT_TIME: 'BAD_WAIT_TIME',
  BAD_SHAPE: 'BAD_SHAPE',
  BAD_TARGET: 'BAD_TARGET',
  OUTPUT_NOT_WRITABLE: 'OUTPUT_NOT_WRITABLE',
  BAD_TLS_FILE: 'BAD_TLS_FILE',
  BAD_INPUT: 'BAD_INPUT',
  /** --broker / BROOD_BROKER is not a redis:// or rediss:// URL. */
  BAD_BROKER: 'BAD_BROKER',
  /** The broker could not be reached, or refused the password. */
  BROKER_UNREACHABLE: 'BROKER_UNREACHABLE',
  BROKER_AUTH: 'BROKER_AUTH',
  /** --expect-workers: fewer workers came than expected within --expect-workers-max-wait. */
  WORKERS_MISSING: 'WORKERS_MISSING',
  /** A --worker's own -f file is not the master's (by content hash). */
  TEST_FILE_MISMATCH: 'TEST_FILE_MISMATCH',
  /** A GrpcUser's proto files are missing, or do not parse (file:line given). */
  BAD_PROTO: 'BAD_PROTO',
  /** A Vegeta targets file (--targets) does not parse, or an @body file it names cannot be read (file:line given). */
  BAD_TARGETS_FILE: 'BAD_TARGETS_FILE',
  /** A GrpcUser calls a method its protos do not have, or calls it as the wrong kind (unary, stream). */
  BAD_GRPC_METHOD: 'BAD_GRPC_METHOD',
  /** A suite file (`run-load-tests suite FILE`) does not parse, or holds a key or value brood does not accept (file:line given). */
  BAD_SUITE: 'BAD_SUITE',
} as const);

export type ConfigErrorCode = (typeof ConfigErrorCodes)[keyof typeof ConfigErrorCodes];

/**
 * Thrown by a response's methods in a task: `raiseForStatus()` (HttpError: a status >= 400, no
 * response at all, or no response in time) and reading the body (`text()`, `json()`, `body()`).
 */
export const ResponseErrorCodes = Object.freeze({
  HTTP_STATUS: 'HTTP_STATUS',
  NO_RESPONSE: 'NO_RESPONSE',
  REQUEST_TIMEOUT: 'REQUEST_TIMEOUT',
  BODY_TOO_LARGE: 'BODY_TOO_LARGE',
  BODY_NOT_JSON: 'BODY_NOT_JSON',
  UNSUPPORTED_ENCODING: 'UNSUPPORTED_ENCODING',
} as const);

export type ResponseErrorCode = (typeof ResponseErrorCodes)[keyof typeof ResponseErrorCodes];

/** Every code, for `err.code === ErrorCodes.BAD_HOST` (also from plain JavaScript). */
export const ErrorCodes = Object.freeze({
  ...ConfigErrorCodes,
  /** ConfigErrors: several configuration problems at once; each of its `problems` has its own code. */
  CONFIG_ERRORS: 'CONFIG_ERRORS',
  ...ResponseErrorCodes,
} as const);

export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];
