/**
 * The demo server's fault flags for gRPC calls, as request-handler.ts applies them to HTTP: the
 * concurrency gate (a call past the queue is RESOURCE_EXHAUSTED "overloaded"), the injected delay
 * (holding the slot) and the injected error (UNAVAILABLE "injected failure"). HttpErrors the
 * shared memory code throws become the gRPC status a client expects for them.
 */
import { status as Status, type ServiceError } from '@grpc/grpc-js';
import { Metadata } from '@grpc/grpc-js';
import { setTimeout as sleep } from 'node:timers/promises';
import { HttpError } from './http-io.js';
import { injectedDelayMs, shouldInjectError, type ServerState } from './server-state.js';

/** A gRPC status error with its details (what a client shows as `CODE: details`). */
export function grpcError(code: Status, details: string): ServiceError {
  return Object.assign(new Error(details), { code, details, metadata: new Metadata() });
}

/** The status an HTTP error of the shared memory code stands for. */
export function statusOfError(error: unknown): ServiceError {
  if (!(error instanceof HttpError)) return grpcError(Status.INTERNAL, `internal error: ${error instanceof Error ? error.message : String(error)}`);
  const code = error.status === 400 ? Status.INVALID_ARGUMENT
    : error.status === 404 ? Status.NOT_FOUND
      : error.status === 413 || error.status === 429 ? Status.RESOURCE_EXHAUSTED
        : error.status === 503 ? Status.UNAVAILABLE
          : Status.INTERNAL;
  return grpcError(code, error.message);
}

/**
 * Runs `serve` as an admitted call: through the gate, after the injected delay, unless an error is
 * injected. `onCancel` registers what to do when the client goes away (deadline, cancel, close)
 * while the call waits for its slot. Resolves to null when `serve` ran, else the error to send.
 */
export async function withFaults(state: ServerState, onCancel: (cancel: () => void) => void, serve: () => Promise<void> | void): Promise<ServiceError | null> {
  state.counters.requestsServed++;
  const gate = state.gate;
  if (gate !== undefined) {
    const admission = gate.acquire(onCancel);
    if (admission === false) {
      state.counters.rejectedOverload++;
      return grpcError(Status.RESOURCE_EXHAUSTED, 'overloaded');
    }
    if (admission !== true && !(await admission)) return null; // the client left while queued
  }
  try {
    const delay = injectedDelayMs(state);
    if (delay > 0) await sleep(delay);
    if (shouldInjectError(state)) {
      state.counters.injectedErrors++;
      return grpcError(Status.UNAVAILABLE, 'injected failure');
    }
    await serve();
    return null;
  } finally {
    gate?.release();
  }
}
