/**
 * Request headers that carry credentials. They are sent, but never written into any output
 * (trace included): a results folder gets attached to tickets and CI logs, a password must not.
 */
const SECRET_NAMES: ReadonlySet<string> = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie']);
/** Custom credential headers by their usual names: X-API-Key, X-Auth-Token, X-CSRF-Token, … */
const SECRET_PATTERN = /token|secret|api-?key|auth|passw|session/i;

export function isSecretHeader(name: string): boolean {
  return SECRET_NAMES.has(name.toLowerCase()) || SECRET_PATTERN.test(name);
}
