/**
 * KernelUser (seed 003: "Kernel: 500 req/sec with p99 < 100ms"): the demo server's memory kernel
 * over gRPC (continuum.Kernel, protos/continuum/kernel.proto), one channel per user.
 *
 *   recall 60 %   continuum.Kernel/Recall {query, limit 10}      → row GRPC continuum.Kernel/Recall
 *   learn  30 %   continuum.Kernel/Learn {text}                  → row GRPC continuum.Kernel/Learn
 *   stats   7 %   continuum.Kernel/Stats {}                      → row GRPC continuum.Kernel/Stats
 *   watch   3 %   continuum.Kernel/Watch {since, max_changes 100}: the changes since this user's
 *                 last watch, a server stream recorded as one row from start to end
 *
 * The texts and queries: eight of each drawn at start from the user's seeded stream (faker costs
 * ~0.1 ms a call, too much at 500 calls a second), so --seed reproduces them.
 */
import { GrpcUser, between, task } from '../src/index.js';
import { ContinuumData } from './support/continuum-data.js';
import { continuumProtoFiles } from './support/continuum-protos.js';

const SAMPLES_PER_USER = 8;
/** Seconds a call may take before it is a failure: far above the 100 ms target, so a slow kernel is measured, not cut. */
const CALL_TIMEOUT_SEC = 5;
const WATCH_MAX_CHANGES = 100;

export class KernelUser extends GrpcUser {
  static override proto = continuumProtoFiles();
  /** The seed's 500 kernel calls a second to the AI service's 20. */
  static override weight = 500;
  override waitTime = between(0.1, 0.5);
  #texts: string[] = [];
  #queries: string[] = [];
  #cursor = 0;

  override onStart(): Promise<void> {
    const data = new ContinuumData(this.rng);
    this.#texts = Array.from({ length: SAMPLES_PER_USER }, () => data.text());
    this.#queries = Array.from({ length: SAMPLES_PER_USER }, () => data.query());
    return Promise.resolve();
  }

  @task(60)
  async recall(): Promise<void> {
    await this.grpc.unary('continuum.Kernel/Recall', { query: this.rng.pick(this.#queries), limit: 10 }, { timeout: CALL_TIMEOUT_SEC });
  }

  @task(30)
  async learn(): Promise<void> {
    await this.grpc.unary('continuum.Kernel/Learn', { text: this.rng.pick(this.#texts) }, { timeout: CALL_TIMEOUT_SEC });
  }

  @task(7)
  async stats(): Promise<void> {
    await this.grpc.unary('continuum.Kernel/Stats', {}, { timeout: CALL_TIMEOUT_SEC });
  }

  @task(3)
  async watch(): Promise<void> {
    const changes = this.grpc.serverStream<{ seq: string }>('continuum.Kernel/Watch', { since: this.#cursor, max_changes: WATCH_MAX_CHANGES }, { timeout: CALL_TIMEOUT_SEC });
    for await (const change of changes) this.#cursor = Number(change.seq);
  }
}
