/**
 * grpc: the demo server's gRPC services at the seed's rates (seed 003, "gRPC Services"): the memory
 * kernel at 500 calls a second with P99 < 100 ms and the AI service at 20 a second with P99 < 2 s.
 * Users: users/kernel-user.ts and users/ai-service-user.ts, on the demo server's own port (one URL
 * serves HTTP, WebSocket and gRPC) or on a real target's (-H grpc://host:port).
 *
 * An open-model run: the seed states rates, not users, so calls arrive on a schedule whatever the
 * server does (a slow kernel cannot lower the rate it is judged at), each one task of a class
 * chosen by weight (500 : 20). The rate ramps from 50 to 520 a second over the first 5 s, then
 * holds: at 520/s from the first millisecond, cold gRPC code and the channels of the users the pool
 * adds cost the first second a P99 of 300+ ms on a 2-core machine, which is the generator starting,
 * not the kernel. 40 users are pre-allocated, each with its channel connected before the clock.
 * `--target-rate` rescales the pattern; the window criteria of every open-model run apply too
 * (achieved throughput ≥ 95 % of the scheduled arrivals). 520 calls a second fit a 2-core machine
 * with the demo server on it beside the generator (about 0.75 of a core for both).
 *
 * Targets:
 * - Kernel P99 < 100 ms over the continuum.Kernel rows (unary calls and the Watch stream).
 * - AI service P99 < 2000 ms over continuum.AIService/Generate.
 * - Error rate < 1 % over every call.
 * - Per-service rates are NOT separate targets: a target's threshold is a fixed number, and 475/s
 *   would fail every `--target-rate` below the seed's; the open-model windows judge the rate.
 */
import { defineScenario } from '../src/index.js';
import { AIServiceUser } from '../users/ai-service-user.js';
import { KernelUser } from '../users/kernel-user.js';
import { scenarioTargets } from './scenario-targets.js';

export const grpcScenario = defineScenario({
  name: 'grpc',
  description: "gRPC: memory kernel 500 calls/s and AI service 20/s, the seed's rates (KernelUser, AIServiceUser)",
  userClasses: [KernelUser, AIServiceUser],
  users: 0,
  spawnRate: 0,
  runTimeSec: 60,
  targets: scenarioTargets('grpc'),
  // Pre-allocated: each user's channel is connected before the clock starts.
  arrival: { pattern: 'ramp', from: 50, to: 520, over: 5, pre_allocated_users: 40 },
});
