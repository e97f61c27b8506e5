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
