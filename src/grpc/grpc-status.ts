/**
 * A call's non-OK status as the failure it is recorded under: its name and details,
 * `UNAVAILABLE: kernel busy`. Details grpc-js writes itself carry timings, addresses and sizes
 * that differ on every call; they are reworded so that failures group into one row each, as
 * brood's HTTP reasons do (`timeout after 1000 ms`).
 */
import type { status as Status } from '@grpc/grpc-js';
import { grpcJs } from './grpc-js.js';

const MAX_DETAILS = 300;

export function statusName(code: Status): string {
  return grpcJs().status[code] ?? `status ${code}`;
}

/** `timeoutMs`: the call's deadline (Infinity: none), for DEADLINE_EXCEEDED. */
export function statusFailureReason(code: Status, details: string, timeoutMs: number, maxMessageBytes: number): string {
  const name = statusName(code);
  const text = stableDetails(code, details, timeoutMs, maxMessageBytes);
  return text === '' ? name : `${name}: ${text}`;
}

function stableDetails(code: Status, details: string, timeoutMs: number, maxMessageBytes: number): string {
  // grpc-js: "Deadline exceeded after 1.002s,remote_addr=127.0.0.1:33403" (times and ports vary).
  if (code === grpcJs().status.DEADLINE_EXCEEDED && details.startsWith('Deadline exceeded') && Number.isFinite(timeoutMs)) return `timeout after ${timeoutMs} ms`;
  // grpc-js: "Received message larger than max (5003 vs 1000)" (the size varies).
  if (code === grpcJs().status.RESOURCE_EXHAUSTED && details.startsWith('Received message larger than max')) return `response larger than --max-body-size (${maxMessageBytes} bytes)`;
  if (code === grpcJs().status.RESOURCE_EXHAUSTED && details.startsWith('Sent message larger than max')) return `request larger than --max-body-size (${maxMessageBytes} bytes)`;
  // grpc-js: "No connection established. Last error: Error: connect ECONNREFUSED 127.0.0.1:50051. Resolution note: ".
  const cleaned = details.replace(/\. Resolution note: ?$/, '').replace('Last error: Error: ', 'Last error: ');
  return cleaned.length > MAX_DETAILS ? `${cleaned.slice(0, MAX_DETAILS)}…` : cleaned;
}
