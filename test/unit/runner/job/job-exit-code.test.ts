import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jobExitCode, type RunVerdictInput } from '../../../../src/runner/job/job-exit-code.js';

const clean: RunVerdictInput = { targets: [], failures: 0, exceptions: 0, interrupted: false, shapeFailed: false };

test('exit code: targets alone decide when there are any, else any trouble fails; a broken shape is 2', () => {
  const cases: Array<[string, Partial<RunVerdictInput>, number]> = [
    ['clean run, no targets', {}, 0],
    ['a failed request, no targets', { failures: 1 }, 1],
    ['an exception, no targets', { exceptions: 1 }, 1],
    ['interrupted, no targets', { interrupted: true }, 1],
    ['every target met despite failures and an interrupt', { targets: [{ met: true }, { met: true }], failures: 9, exceptions: 2, interrupted: true }, 0],
    ['one target missed on a clean run', { targets: [{ met: true }, { met: false }] }, 1],
    ['the shape threw, targets met', { targets: [{ met: true }], shapeFailed: true }, 2],
    ['the shape threw on a failing run', { failures: 3, shapeFailed: true }, 2],
    // --exit-code-on-error: only the "failures with no targets" verdict takes its code.
    ['failures, --exit-code-on-error 0', { failures: 1, failureExitCode: 0 }, 0],
    ['an exception, --exit-code-on-error 7', { exceptions: 1, failureExitCode: 7 }, 7],
    ['clean run, --exit-code-on-error 7', { failureExitCode: 7 }, 0],
    ['interrupted with failures, --exit-code-on-error 0', { interrupted: true, failures: 2, failureExitCode: 0 }, 1],
    ['a target missed, --exit-code-on-error 0', { targets: [{ met: false }], failures: 5, failureExitCode: 0 }, 1],
    // The open model's own throughput check, with nothing declared about failures: it cannot let them pass.
    ['open model, throughput met, every request failed', { targets: [{ met: true }], failures: 100, targetsJudgeFailures: false }, 1],
    ['open model, throughput met, an exception', { targets: [{ met: true }], exceptions: 1, targetsJudgeFailures: false, failureExitCode: 7 }, 7],
    ['open model, throughput met, clean', { targets: [{ met: true }], targetsJudgeFailures: false }, 0],
    ['open model, throughput missed, clean', { targets: [{ met: false }], targetsJudgeFailures: false }, 1],
    ['open model, throughput met, interrupted', { targets: [{ met: true }], interrupted: true, targetsJudgeFailures: false }, 1],
  ];
  for (const [name, run, want] of cases) assert.equal(jobExitCode({ ...clean, ...run }), want, name);
});
