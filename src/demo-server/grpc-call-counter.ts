/**
 * Counts every gRPC call the demo server ends, by method and status code name, for /metrics
 * (continuum_grpc_calls_total). A server interceptor sees the status each handler sends, whatever
 * the handler; a call that ends without one (the client cancelled, or its deadline passed and
 * grpc-js answered by itself) is counted once as CANCELLED or DEADLINE_EXCEEDED.
 */
import { ServerInterceptingCall, status as Status, type ServerInterceptor } from '@grpc/grpc-js';
import type { ServerMetrics } from './server-metrics.js';

export function countingInterceptor(metrics: ServerMetrics): ServerInterceptor {
  return (method, call) => {
    // "/continuum.Kernel/Learn" → "continuum.Kernel/Learn"; only registered methods reach interceptors, so the label stays bounded.
    const name = method.path.startsWith('/') ? method.path.slice(1) : method.path;
    let counted = false;
    const count = (code: string): void => {
      if (counted) return;
      counted = true;
      metrics.countGrpc(name, code);
    };
    return new ServerInterceptingCall(call, {
      // grpc-js reports the end of every call as a cancel, after the status when one was sent: only a call with none counts here.
      start: (next) => next({ onCancel: () => count(deadlinePassed(call.getDeadline()) ? 'DEADLINE_EXCEEDED' : 'CANCELLED') }),
      sendStatus: (status, next) => {
        count(Status[status.code] ?? String(status.code));
        next(status);
      },
    });
  };
}

function deadlinePassed(deadline: Date | number): boolean {
  const at = deadline instanceof Date ? deadline.getTime() : deadline;
  return Number.isFinite(at) && at <= Date.now();
}
