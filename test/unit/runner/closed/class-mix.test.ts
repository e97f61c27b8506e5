import { test } from 'node:test';
import assert from 'node:assert/strict';
import { capacityOf, nextClassToSpawn, nextClassToStop, splitByClass, type ClassWeight } from '../../../../src/runner/closed/class-mix.js';

function spawnSequence(classes: ClassWeight[], n: number, eligible?: boolean[]): number[] {
  const counts = classes.map(() => 0);
  const seq: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = nextClassToSpawn(classes, counts, eligible);
    if (c < 0) break;
    counts[c]! += 1;
    seq.push(c);
  }
  return seq;
}

test('spawn order keeps the weighted mix right at every count, fixedCount first', () => {
  const cases: Array<{ classes: ClassWeight[]; n: number; want: number[] }> = [
    { classes: [{ weight: 3, fixedCount: 0 }, { weight: 1, fixedCount: 0 }], n: 8, want: [0, 0, 1, 0, 0, 0, 1, 0] },
    { classes: [{ weight: 1, fixedCount: 0 }, { weight: 1, fixedCount: 0 }, { weight: 1, fixedCount: 0 }], n: 6, want: [0, 1, 2, 0, 1, 2] },
    { classes: [{ weight: 1, fixedCount: 0 }, { weight: 1, fixedCount: 2 }], n: 4, want: [1, 1, 0, 0] },
    { classes: [{ weight: 1, fixedCount: 1 }], n: 3, want: [0] },
  ];
  for (const c of cases) assert.deepEqual(spawnSequence(c.classes, c.n), c.want, JSON.stringify(c.classes));
});

test('mix at 1 000 users matches weights exactly', () => {
  const classes = [{ weight: 5, fixedCount: 0 }, { weight: 3, fixedCount: 0 }, { weight: 2, fixedCount: 0 }];
  const seq = spawnSequence(classes, 1000);
  const counts = [0, 1, 2].map((i) => seq.filter((c) => c === i).length);
  assert.deepEqual(counts, [500, 300, 200]);
});

test('ineligible classes are not spawned and are stopped first', () => {
  const classes = [{ weight: 1, fixedCount: 0 }, { weight: 1, fixedCount: 0 }];
  assert.deepEqual(spawnSequence(classes, 3, [false, true]), [1, 1, 1]);
  assert.equal(nextClassToStop(classes, [2, 2], [false, true]), 0);
});

test('stop order removes the most over-represented weighted class; fixed classes last', () => {
  const classes = [{ weight: 3, fixedCount: 0 }, { weight: 1, fixedCount: 0 }, { weight: 1, fixedCount: 1 }];
  assert.equal(nextClassToStop(classes, [3, 2, 1]), 1);
  assert.equal(nextClassToStop(classes, [4, 1, 1]), 0);
  assert.equal(nextClassToStop(classes, [0, 0, 1]), 2);
  assert.equal(nextClassToStop(classes, [0, 0, 0]), -1);
});

test('capacity is bounded only when every eligible class is fixed', () => {
  assert.equal(capacityOf([{ weight: 1, fixedCount: 2 }, { weight: 1, fixedCount: 3 }]), 5);
  assert.equal(capacityOf([{ weight: 1, fixedCount: 2 }, { weight: 1, fixedCount: 0 }]), Infinity);
  assert.equal(capacityOf([{ weight: 1, fixedCount: 2 }, { weight: 1, fixedCount: 0 }], [true, false]), 2);
});

test('splitByClass: the ramp mix over all groups, every group with each class in proportion and its poolShare of users', () => {
  const w = (weight: number): ClassWeight => ({ weight, fixedCount: 0 });
  // 3:1 over two groups: dealing user k to group k mod 2 would put every Writer in one group.
  assert.deepEqual(splitByClass([w(3), w(1)], 40, 2), [[15, 5], [15, 5]]);
  assert.deepEqual(splitByClass([w(3), w(1)], 40, 1), [[30, 10]]);
  for (const [total, groups] of [[7, 3], [101, 4], [1, 2], [0, 3]] as const) {
    const classes = [w(5), w(3), w(2)];
    const split = splitByClass(classes, total, groups);
    const sums = split.map((row) => row.reduce((a, b) => a + b, 0));
    sums.forEach((n, g) => assert.equal(n, Math.floor(total / groups) + (g < total % groups ? 1 : 0), `group ${g} of ${total}/${groups}`));
    const perClass = classes.map((_, c) => split.reduce((a, row) => a + (row[c] ?? 0), 0));
    assert.deepEqual(perClass, splitByClass(classes, total, 1)[0]);
    for (let c = 0; c < classes.length; c++) {
      const col = split.map((row) => row[c] ?? 0);
      assert.ok(Math.max(...col) - Math.min(...col) <= 1, `class ${c} evenly dealt: ${col.join(',')}`);
    }
  }
});
