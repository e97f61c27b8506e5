/**
 * Every error analyze-results throws on purpose carries a stable code (README "Error codes"), and
 * its message stays one line. One case per code, through the function that throws it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AnalyzeError, AnalyzeErrorCodes, type AnalyzeErrorCode } from '../../../analyze/analyze-error.js';
import { runCapacity } from '../../../analyze/capacity-command.js';
import { nonNegative, oneOf } from '../../../analyze/cli-options.js';
import { parseCsv } from '../../../analyze/csv-parse.js';
import { readCsvTable } from '../../../analyze/csv-table.js';
import { readJsonRun } from '../../../analyze/json-run-reader.js';
import { readTextFile } from '../../../analyze/read-text-file.js';
import { findRunFiles } from '../../../analyze/run-loader.js';
import { readFailuresCsv } from '../../../analyze/side-csv-readers.js';
import { readStatsCsv } from '../../../analyze/stats-csv-reader.js';
import { readTargetsFile } from '../../../analyze/target-source.js';
import { writeOutput } from '../../../analyze/write-output.js';

const SILENT = { out: () => {}, err: () => {} };

function throwsCode(code: AnalyzeErrorCode, fn: () => unknown, message?: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof AnalyzeError, String(e));
    assert.equal(e.code, code, e.message);
    assert.doesNotMatch(e.message, /[\r\n]/);
    if (message) assert.match(e.message, message);
    return true;
  });
}

test('each code is its own name, and the set is frozen', () => {
  for (const [key, value] of Object.entries(AnalyzeErrorCodes)) assert.equal(value, key);
  assert.ok(Object.isFrozen(AnalyzeErrorCodes));
});

test('every failure of reading a run has its code', () => {
  const dir = mkdtempSync(join(tmpdir(), 'brood-analyze-codes-'));
  const at = (name: string, text: string | Buffer): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  try {
    throwsCode('FILE_UNREADABLE', () => readTextFile(join(dir, 'missing.csv')), /no such file/);
    throwsCode('FILE_UNREADABLE', () => findRunFiles(join(dir, 'gone_stats.csv')), /no such file/);
    throwsCode('NOT_TEXT', () => readTextFile(at('bin.csv', Buffer.from([0x41, 0, 0x42]))), /binary data/);
    throwsCode('NOT_TEXT', () => readTextFile(at('latin1.csv', Buffer.from([0x63, 0x61, 0x66, 0xe9]))), /not UTF-8/);
    throwsCode('NO_RUN', () => findRunFiles(join(dir, 'nothing')), /no run at/);
    throwsCode('NOT_RESULT_FILE', () => readStatsCsv(at('empty_stats.csv', '\r\n')), /empty file/);
    throwsCode('NOT_RESULT_FILE', () => readCsvTable(at('h.csv', 'a,b\r\n'), ['Name'], 'test CSV'), /header lacks "Name"/);
    throwsCode('BAD_CSV', () => parseCsv('a\n"x', 'q.csv'), /q\.csv: quoted cell starting at line 2/);
    throwsCode('BAD_CSV', () => readCsvTable(at('w.csv', 'Name,Count\r\nx\r\n'), ['Name'], 'test CSV'), /line 2: 1 cells where the header has 2/);
    const failures = at('f_failures.csv', 'Method,Name,Error,Occurrences,First Seen,Last Seen\r\nGET,/,HTTP 500,1,soon,later\r\n');
    throwsCode('BAD_CSV', () => readFailuresCsv(failures), /line 2, column "First Seen": "soon" is not a time/);
    throwsCode('BAD_JSON', () => readJsonRun(at('run.json', '{"snapshot": ')), /run\.json: /);
    throwsCode('BAD_JSON', () => readTargetsFile(at('t.json', '"p95"')), /expected a JSON array/);
    throwsCode('BAD_TARGET', () => readTargetsFile(at('t2.json', '[{"metric":"p95","comparator":"~","threshold":1}]')), /comparator/);
    mkdirSync(join(dir, 'taken'));
    throwsCode('OUTPUT_NOT_WRITABLE', () => writeOutput(join(dir, 'taken'), 'x'), /cannot write/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('bad usage and a capacity point without requests have their codes', () => {
  throwsCode('BAD_USAGE', () => nonNegative('--min-requests')('-1'), /--min-requests must be a number/);
  throwsCode('BAD_USAGE', () => oneOf('--format', ['text', 'json'])('xml'), /--format must be one of text, json/);
  const flags: Parameters<typeof runCapacity>[1] = { maxP99Rise: 100, maxSlope: 3, maxErrorRate: 1, noiseFloor: 1, format: 'text' };
  throwsCode('BAD_USAGE', () => runCapacity(['one_stats.csv'], flags, SILENT), /at least two runs/);
  const dir = mkdtempSync(join(tmpdir(), 'brood-analyze-codes-'));
  try {
    const header = 'Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,Min Response Time,Max Response Time,Average Content Size,Requests/s,Failures/s,50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%';
    const empty = ',Aggregated,0,0,0,0,0,0,0,0,0,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A';
    for (const run of ['a', 'b']) writeFileSync(join(dir, `${run}_stats.csv`), `${header}\r\n${empty}\r\n`);
    throwsCode('NO_REQUESTS', () => runCapacity([join(dir, 'a_stats.csv'), join(dir, 'b_stats.csv')], flags, SILENT), /the run has no requests/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
