import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JobState } from '../../../../src/runner/job/job-state.js';

test('a closed-model run spawns, runs, spawns again for each new ramp, and runs once it is reached', () => {
  const s = new JobState(false, { users: 10, spawnRate: 2 });
  assert.equal(s.phase, 'starting');
  s.rampComplete(); // nothing moves before the clock starts
  assert.equal(s.phase, 'starting');
  s.started();
  assert.equal(s.phase, 'spawning');
  s.rampComplete();
  assert.equal(s.phase, 'running');
  s.ramping(null); // a shape's new tick: the target shown stays the command line's
  assert.equal(s.phase, 'spawning');
  assert.deepEqual(s.target, { users: 10, spawnRate: 2 });
  s.rampComplete();
  s.ramping({ users: 20, spawnRate: 5 }); // the web UI's edit
  assert.equal(s.phase, 'spawning');
  assert.deepEqual(s.target, { users: 20, spawnRate: 5 });
});

test('the open model runs from its start: a ramp never makes it "spawning"', () => {
  const s = new JobState(true, null);
  s.started();
  assert.equal(s.phase, 'running');
  s.ramping(null);
  assert.equal(s.phase, 'running');
  assert.equal(s.target, null);
});

test('once stopping, neither a ramp nor its end moves the run back; stopped is final', () => {
  const s = new JobState(false, null);
  s.started();
  s.stopping();
  assert.ok(s.stoppingOrStopped);
  s.ramping(null);
  s.rampComplete();
  assert.equal(s.phase, 'stopping');
  s.stopped();
  s.stopping();
  assert.equal(s.phase, 'stopped');
  assert.ok(s.stoppingOrStopped);
});

test("runner.state is Locust's word for the phase, and 'stopped' once the users ended, while the phase (the web UI's) waits for the files", () => {
  const s = new JobState(false, { users: 2, spawnRate: 1 });
  assert.equal(s.runnerState, 'ready');
  s.started();
  assert.equal(s.runnerState, 'spawning');
  s.rampComplete();
  assert.equal(s.runnerState, 'running');
  s.stopping();
  assert.equal(s.runnerState, 'stopping');
  s.usersEnded();
  assert.deepEqual([s.runnerState, s.phase], ['stopped', 'stopping']);
  s.stopped();
  assert.deepEqual([s.runnerState, s.phase], ['stopped', 'stopped']);
});
