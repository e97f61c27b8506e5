import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StatsRegistry } from '../../../src/stats/registry.js';
import { mergeSnapshots, parseSnapshot, serializeSnapshot, summaryFromSnapshot } from '../../../src/stats/snapshot.js';

const START = 1_700_000_000_000;

function sampleRegistry(clock: { t: number }): StatsRegistry {
  const r = new StatsRegistry(() => clock.t, { startWallMs: START });
  for (let i = 0; i < 500; i++) {
    clock.t = START + i * 20;
    if (i % 9 === 0) r.recordFailure('GET', '/item', 1 + (i % 40) / 4, 0, 'HTTP 500');
    else r.recordSuccess(i % 2 ? 'GET' : 'POST', i % 2 ? '/item' : '/learn', 1 + (i % 40) / 4, 321);
  }
  r.recordException(new Error('boom'));
  r.recordMetric('conflicts_detected', 2);
  return r;
}

describe('snapshot', () => {
  it('round-trips through JSON text: summaries from the snapshot equal the registry\'s', () => {
    const clock = { t: START };
    const r = sampleRegistry(clock);
    const text = serializeSnapshot(r.snapshot());
    const s = parseSnapshot(text);
    const now = clock.t + 500;
    const live = r.summaries(now);
    assert.deepEqual(s.entries.map((e) => summaryFromSnapshot(e, now, s.startWallMs)), live.entries);
    assert.deepEqual(summaryFromSnapshot(s.aggregated, now, s.startWallMs), live.aggregated);
    const restored = new StatsRegistry(() => now, { startWallMs: START });
    restored.mergeSnapshot(s);
    assert.deepEqual(restored.summaries(now), live);
    assert.deepEqual(restored.failures(), r.failures());
  });

  it('merges several snapshots into one equal to a registry that saw everything', () => {
    const c1 = { t: START };
    const c2 = { t: START };
    const a = sampleRegistry(c1);
    const b = sampleRegistry(c2);
    const both = new StatsRegistry(() => c1.t, { startWallMs: START });
    both.mergeSnapshot(a.snapshot());
    both.mergeSnapshot(b.snapshot());
    const merged = mergeSnapshots([a.snapshot(), b.snapshot()]);
    assert.deepEqual(merged, both.snapshot());
    assert.equal(merged.aggregated.numRequests, 1000);
    assert.equal(merged.failures[0]?.occurrences, 2 * 56);
  });

  it('rejects malformed input listing every problem at once', () => {
    const good = JSON.parse(serializeSnapshot(sampleRegistry({ t: START }).snapshot())) as Record<string, unknown>;
    const bad = { ...good, version: 2, takenWallMs: 'later', entries: [{ method: 'GET' }], failures: 'none' };
    assert.throws(
      () => parseSnapshot(bad),
      (e: unknown) => {
        const msg = e instanceof Error ? e.message : '';
        for (const part of ['version must be 1', 'snapshot.takenWallMs', 'entries[0].name', 'entries[0].numRequests', 'failures must be an array']) {
          assert.ok(msg.includes(part), `missing "${part}" in: ${msg}`);
        }
        return true;
      },
    );
    assert.throws(() => parseSnapshot(null), /snapshot must be an object/);
  });
});
