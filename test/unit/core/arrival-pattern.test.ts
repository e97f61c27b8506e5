import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createArrivalPattern, timeAfter, type ArrivalPatternSpec } from '../../../src/core/arrival-pattern.js';
import { ArrivalSchedule } from '../../../src/core/arrival-schedule.js';
import { Rng } from '../../../src/core/rng.js';

function arrivals(spec: ArrivalPatternSpec, seconds: number, seed = 1): number[] {
  const schedule = new ArrivalSchedule(createArrivalPattern(spec, seed), new Rng(seed));
  const out: number[] = [];
  while (schedule.peek() <= seconds) out.push(schedule.take());
  return out;
}

test('constant: exactly rate × seconds arrivals, evenly spaced', () => {
  const a = arrivals({ pattern: 'constant', rate: 2000 }, 20);
  assert.equal(a.length, 40_000);
  const gaps = a.slice(1).map((t, i) => t - (a[i] as number));
  assert.ok(gaps.every((g) => Math.abs(g - 0.0005) < 1e-7));
});

test('poisson: count, inter-arrival mean and variance match an exponential process', () => {
  const rate = 1000;
  const a = arrivals({ pattern: 'poisson', mean_rate: rate }, 100, 7);
  assert.ok(Math.abs(a.length / (rate * 100) - 1) < 0.01, `count ${a.length}`);
  const gaps = a.slice(1).map((t, i) => t - (a[i] as number));
  const mean = gaps.reduce((s, g) => s + g, 0) / gaps.length;
  const variance = gaps.reduce((s, g) => s + (g - mean) ** 2, 0) / gaps.length;
  assert.ok(Math.abs(mean * rate - 1) < 0.01, `mean gap ${mean}`);
  // Exponential: variance = mean²  (coefficient of variation 1), unlike evenly spaced arrivals.
  assert.ok(Math.abs(variance / mean ** 2 - 1) < 0.05, `variance/mean² ${variance / mean ** 2}`);
});

test('bursty: keeps the mean; burst seconds run at mean × factor, quiet ones below it', () => {
  const spec: ArrivalPatternSpec = { pattern: 'bursty', mean_rate: 100, burst_factor: 3, burst_probability: 0.1 };
  const p = createArrivalPattern(spec, 11);
  const rates = Array.from({ length: 2000 }, (_, s) => p.rateAt(s + 0.5));
  const bursts = rates.filter((r) => r === 300).length / rates.length;
  assert.ok(Math.abs(bursts - 0.1) < 0.02, `burst share ${bursts}`);
  assert.ok(rates.every((r) => r === 300 || Math.abs(r - 77.777) < 0.01));
  assert.ok(Math.abs(p.cumulative(2000) / (100 * 2000) - 1) < 0.03);
  const a = arrivals(spec, 200, 11);
  assert.ok(Math.abs(a.length / 20_000 - 1) < 0.05, `count ${a.length}`);
});

test('periodic: a sine around the base rate; whole periods hold base × period arrivals', () => {
  const p = createArrivalPattern({ pattern: 'periodic', base_rate: 500, amplitude: 200, period_secs: 60 });
  assert.ok(Math.abs(p.rateAt(15) - 700) < 1e-9);
  assert.ok(Math.abs(p.rateAt(45) - 300) < 1e-9);
  assert.ok(Math.abs(p.cumulative(120) - 60_000) < 1e-6);
  const a = arrivals({ pattern: 'periodic', base_rate: 500, amplitude: 200, period_secs: 60 }, 60);
  const firstQuarter = a.filter((t) => t < 30).length;
  assert.ok(firstQuarter > 16_500, `more arrivals in the high half: ${firstQuarter}`);
});

test('periodic_burst: bursts open each period; the mean is the time-weighted average', () => {
  const spec: ArrivalPatternSpec = { pattern: 'periodic_burst', base_rate: 2000, burst_rate: 15000, burst_duration_sec: 30, burst_period_sec: 300 };
  const p = createArrivalPattern(spec);
  const table: Array<[number, number]> = [[0, 15000], [29.9, 15000], [30, 2000], [299, 2000], [300, 15000], [330.5, 2000]];
  for (const [t, rate] of table) assert.equal(p.rateAt(t), rate, `t=${t}`);
  assert.ok(Math.abs(p.meanRate() - 3300) < 1e-9);
  assert.ok(Math.abs(p.cumulative(600) - 3300 * 600) < 1e-6);
});

test('ramp: linear from → to over the given seconds, then flat', () => {
  const p = createArrivalPattern({ pattern: 'ramp', from: 0, to: 1000, over: 10 });
  assert.equal(p.rateAt(5), 500);
  assert.equal(p.rateAt(20), 1000);
  assert.ok(Math.abs(p.cumulative(10) - 5000) < 1e-9);
  assert.ok(Math.abs(p.cumulative(12) - 7000) < 1e-9);
  const a = arrivals({ pattern: 'ramp', from: 0, to: 1000, over: 10 }, 10);
  assert.ok(Math.abs(a.length - 5000) <= 1);
});

test('timeAfter inverts cumulative; zero rate means nothing arrives', () => {
  const p = createArrivalPattern({ pattern: 'ramp', from: 100, to: 100, over: 1 });
  assert.ok(Math.abs(timeAfter(p, 2, 50) - 2.5) < 1e-6);
  const none = createArrivalPattern({ pattern: 'constant', rate: 0 });
  assert.equal(new ArrivalSchedule(none, new Rng(1)).peek(), Infinity);
});

test('bad pattern parameters are configuration errors naming the field', () => {
  const bad: Array<[ArrivalPatternSpec, RegExp]> = [
    [{ pattern: 'constant', rate: -1 }, /rate must be a number >= 0/],
    [{ pattern: 'bursty', mean_rate: 10, burst_factor: 5, burst_probability: 0.5 }, /burst_probability × burst_factor/],
    [{ pattern: 'periodic', base_rate: 10, amplitude: 20, period_secs: 5 }, /amplitude must be <= base_rate/],
    [{ pattern: 'periodic_burst', base_rate: 1, burst_rate: 2, burst_duration_sec: 10, burst_period_sec: 5 }, /burst_duration_sec must be <= burst_period_sec/],
    [{ pattern: 'ramp', from: 1, to: 2, over: 0 }, /over must be/],
  ];
  for (const [spec, message] of bad) assert.throws(() => createArrivalPattern(spec), message);
});
