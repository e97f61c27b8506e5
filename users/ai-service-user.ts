/**
 * AIServiceUser (seed 003: "AI Service: 20 req/sec with p99 < 2s (LLM latency)"): prompts to the
 * demo server's simulated language model over gRPC (continuum.AIService/Generate,
 * protos/continuum/ai_service.proto), which recalls context, then answers in 0.4-1.3 s.
 *
 *   generate 100 %   continuum.AIService/Generate {prompt}   → row GRPC continuum.AIService/Generate
 *
 * Prompts: eight queries drawn at start from the user's seeded stream, so --seed reproduces them.
 */
import { GrpcUser, between, task } from '../src/index.js';
import { ContinuumData } from './support/continuum-data.js';
import { continuumProtoFiles } from './support/continuum-protos.js';

const PROMPTS_PER_USER = 8;
/** Seconds an answer may take before it is a failure: well above the 2 s target, so a slow model is measured, not cut. */
const GENERATE_TIMEOUT_SEC = 10;

export class AIServiceUser extends GrpcUser {
  static override proto = continuumProtoFiles();
  /** The seed's 20 AI calls a second to the kernel's 500. */
  static override weight = 20;
  override waitTime = between(1, 3);
  #prompts: string[] = [];

  override onStart(): Promise<void> {
    const data = new ContinuumData(this.rng);
    this.#prompts = Array.from({ length: PROMPTS_PER_USER }, () => `What do we know about ${data.query()}?`);
    return Promise.resolve();
  }

  @task
  async generate(): Promise<void> {
    await this.grpc.unary('continuum.AIService/Generate', { prompt: this.rng.pick(this.#prompts) }, { timeout: GENERATE_TIMEOUT_SEC });
  }
}
