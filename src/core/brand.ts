/**
 * Classes are recognised by a brand (a static symbol property inherited by subclasses), not by
 * `instanceof`: a test file may reach brood through another module instance (a .ts loader,
 * a copy in node_modules), and `instanceof` would then say no to a perfectly good User class.
 */
export const BROOD_KIND = Symbol.for('brood.kind');

export type BroodKind = 'user' | 'taskset' | 'shape';

export function kindOf(value: unknown): BroodKind | null {
  if (typeof value !== 'function') return null;
  const kind = (value as unknown as Record<symbol, unknown>)[BROOD_KIND];
  return kind === 'user' || kind === 'taskset' || kind === 'shape' ? kind : null;
}

/** True for base classes (User, HttpUser, TaskSet…) and any class that sets its own `static abstract = true`. */
export function isAbstractClass(cls: unknown): boolean {
  return typeof cls === 'function' && Object.hasOwn(cls, 'abstract') && (cls as { abstract?: unknown }).abstract === true;
}

/**
 * The directory of the module a user class was exported from, stamped on the class by the test
 * loader: a GrpcUser's `static proto` files are relative to its test file.
 */
export const MODULE_DIR = Symbol.for('brood.moduleDir');

/**
 * A static method a user class kind may define to check itself before the run (a GrpcUser loads
 * its proto files): it returns its problems, one line each (none: an empty array).
 */
export const CLASS_PROBLEMS = Symbol.for('brood.classProblems');

/** The problems a class reports of itself (CLASS_PROBLEMS), or none. */
export function classProblems(cls: unknown): string[] {
  const check = typeof cls === 'function' ? (cls as unknown as Record<symbol, unknown>)[CLASS_PROBLEMS] : undefined;
  return typeof check === 'function' ? (check.call(cls) as string[]) : [];
}

/**
 * The URL schemes a user class kind can reach (a static array under this symbol: HttpUser's
 * http:/https:, WebSocketUser's ws:/wss:/http:/https:, …); a class without it (a custom-protocol
 * User) takes any. Checked before the run: an HttpUser sent to ws:// is refused, not run.
 */
export const HOST_SCHEMES = Symbol.for('brood.hostSchemes');

/** The schemes a class accepts (its HOST_SCHEMES), or null for any. */
export function hostSchemesOf(cls: unknown): readonly string[] | null {
  const schemes = typeof cls === 'function' ? (cls as unknown as Record<symbol, unknown>)[HOST_SCHEMES] : undefined;
  return Array.isArray(schemes) ? (schemes as string[]) : null;
}
