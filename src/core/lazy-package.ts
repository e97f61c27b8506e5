/**
 * A CommonJS package loaded on first use instead of at start-up. The public API (src/index.ts)
 * exports every protocol's user class, so every run used to load @grpc/grpc-js, @grpc/proto-loader
 * and ws (~70 ms of a ~230 ms import, in the main thread and again in each --processes worker)
 * though most runs speak HTTP only. A protocol's class loads its package when it is checked before
 * the run (CLASS_PROBLEMS), so the load never falls inside a run's timings.
 */
import { createRequire } from 'node:module';

const requireHere = createRequire(import.meta.url);

/** `const ws = lazyPackage<typeof import('ws')>('ws')`: `ws()` requires it the first time, then returns it. */
export function lazyPackage<T>(name: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= requireHere(name) as T);
}
