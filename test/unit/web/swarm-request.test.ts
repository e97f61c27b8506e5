import { test } from 'node:test';
import assert from 'node:assert/strict';
import { swarmRequest } from '../../../src/web/run-controller.js';

test('Locust\'s swarm form: fields parsed, empty ones left to the command line, bad ones refused', () => {
  assert.deepEqual(swarmRequest(new URLSearchParams('user_count=10&spawn_rate=2.5&host=http%3A%2F%2Fh%3A1&run_time=1m30s&user_classes=A&user_classes=B&shape_class=step')), {
    users: 10, spawnRate: 2.5, host: 'http://h:1', runTimeSec: 90, classNames: ['A', 'B'], shape: 'step',
  });
  assert.deepEqual(swarmRequest(new URLSearchParams('user_count=&spawn_rate=+&run_time=')), { users: null, spawnRate: null, host: null, runTimeSec: null, classNames: null, shape: null });
  assert.equal(swarmRequest(new URLSearchParams('user_count=0')).users, 0, 'zero users is a valid target (Locust allows it)');
  for (const [form, message] of [
    ['user_count=1.5', /user_count must be a whole number/],
    ['user_count=-1', /user_count/],
    ['user_count=ten', /user_count/],
    ['spawn_rate=0', /spawn_rate must be a number > 0/],
    ['run_time=forever', /run_time/],
  ] as const) assert.throws(() => swarmRequest(new URLSearchParams(form)), message, form);
});
