import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SelfMonitor } from '../../../../src/runner/job/self-monitor.js';

/** A monitor on a fake clock and a fake CPU counter: `tick(ms, cpuFraction)` advances both. */
function fakeMonitor(warnEveryMs = 10_000): { monitor: SelfMonitor; warnings: string[]; tick: (ms: number, cpu: number) => void } {
  let now = 0;
  let cpuUs = 0;
  const warnings: string[] = [];
  const monitor = new SelfMonitor({ now: () => now, cpuUsage: () => ({ user: cpuUs, system: 0 }), warn: (l) => warnings.push(l), warnEveryMs });
  return { monitor, warnings, tick: (ms, cpu) => { now += ms; cpuUs += ms * 1000 * cpu; } };
}

test('an interval above 90% CPU is marked overloaded and warns once per period', () => {
  const { monitor, warnings, tick } = fakeMonitor(10_000);
  monitor.start();
  tick(1000, 0.5);
  const calm = monitor.sample();
  assert.equal(calm.overloaded, false);
  assert.equal(calm.cpu, 0.5);
  tick(1000, 0.97);
  const busy = monitor.sample();
  assert.equal(busy.overloaded, true);
  assert.equal(busy.cpu, 0.97);
  tick(1000, 0.99);
  assert.equal(monitor.sample().overloaded, true);
  assert.equal(warnings.length, 1, 'at most one warning per 10 s');
  assert.match(warnings[0] ?? '', /^warning: brood itself is the bottleneck \(CPU 97% of a core.*not the server's/);
  tick(10_000, 0.95);
  monitor.sample();
  assert.equal(warnings.length, 2, 'warns again once the period has passed');
  assert.equal(monitor.overloadedIntervals, 3);
  monitor.stop();
});

test('a blocked event loop (busy-wait) is marked overloaded by its delay', async () => {
  const warnings: string[] = [];
  // CPU threshold out of reach: only the loop delay can mark this interval.
  const monitor = new SelfMonitor({ now: () => performance.now(), warn: (l) => warnings.push(l), cpuThreshold: 100 });
  monitor.start();
  for (let i = 0; i < 4; i++) {
    const until = performance.now() + 120;
    while (performance.now() < until) { /* blocks the event loop, as a CPU-bound task would */ }
    await new Promise((r) => setTimeout(r, 15));
  }
  const s = monitor.sample();
  monitor.stop();
  assert.ok(s.loopDelayP99Ms > 50, `loop delay p99 ${s.loopDelayP99Ms} ms`);
  assert.equal(s.overloaded, true);
  assert.equal(warnings.length, 1);
});

test('a short interval (the final row after shutdown) reports its CPU but is not judged on it', () => {
  const { monitor, warnings, tick } = fakeMonitor();
  monitor.start();
  tick(40, 1.2); // 48 ms of shutdown work in a 40 ms row
  const final = monitor.sample();
  assert.equal(final.cpu, 1.2);
  assert.equal(final.overloaded, false);
  tick(250, 1.2); // the same share over a quarter second is judged
  assert.equal(monitor.sample().overloaded, true);
  assert.equal(warnings.length, 1);
  monitor.stop();
});
