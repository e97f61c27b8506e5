import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hotWorkersLine } from '../../../../src/runner/remote/remote-run.js';

test('a worker above 90 % CPU is named in one warning line; lost workers and those at 90 % or under are not', () => {
  assert.equal(hotWorkersLine([{ label: 'worker a (pid 1)', cpuPercent: 90, alive: true }]), null);
  assert.equal(hotWorkersLine([{ label: 'worker a (pid 1)', cpuPercent: 99, alive: false }]), null);
  const line = hotWorkersLine([
    { label: 'worker a (pid 1)', cpuPercent: 97, alive: true },
    { label: 'worker b (pid 2)', cpuPercent: 40, alive: true },
    { label: 'worker c (pid 3)', cpuPercent: 91, alive: true },
  ]);
  assert.equal(line?.split('\n').length, 1);
  assert.match(line ?? '', /^warning: worker a \(pid 1\) at 97 % CPU, worker c \(pid 3\) at 91 % CPU: the load generator is the bottleneck there/);
  assert.doesNotMatch(line ?? '', /worker b/);
});
