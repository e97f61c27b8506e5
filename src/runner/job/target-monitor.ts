/**
 * Watching the system under test during a run (issue 23): every history interval, each monitored
 * source (a PID's /proc, a Prometheus endpoint) is read once; the readings become rows of
 * PREFIX_resources.csv as they land, and the run's `resources` summary at the end. A source that
 * vanishes or stops answering is a gap and one console line, never a crash or a stalled run.
 */
import { ResourceLog } from '../../monitor/resource-log.js';
import { summarizeResources, type ResourcesSummary } from '../../monitor/resource-summary.js';
import type { ResourceSample, ResourceSource } from '../../monitor/resource-sample.js';
import { ResourcesCsvWriter } from '../../report/resources-csv.js';

export interface TargetMonitorDeps {
  /** Monotonic ms (the run's clock). */
  now: () => number;
  /** A source went away or came back: one line for the console and the log. */
  say: (line: string) => void;
}

export class TargetMonitor {
  readonly #sources: readonly ResourceSource[];
  readonly #metricNames: readonly string[];
  readonly #warmUpSec: number | null;
  readonly #log: ResourceLog;
  readonly #csv: ResourcesCsvWriter;
  readonly #deps: TargetMonitorDeps;
  /** A source's reading still in flight: the next interval skips it rather than queue reads. */
  readonly #pending: Array<Promise<void> | null>;
  #stopped = false;
  #rampEndSec: number | null = null;
  /** The last summary and the sample count and ramp end it was made from: the live web UI asks every second. */
  #summary: { of: number; rampEndSec: number | null; summary: ResourcesSummary } | null = null;

  constructor(sources: readonly ResourceSource[], metricNames: readonly string[], warmUpSec: number | null, csvPath: string, deps: TargetMonitorDeps) {
    this.#sources = sources;
    this.#metricNames = metricNames;
    this.#warmUpSec = warmUpSec;
    this.#log = new ResourceLog(sources.map((s) => ({ name: s.name, kind: s.kind })));
    this.#csv = new ResourcesCsvWriter(csvPath, this.#log.sources, metricNames);
    this.#deps = deps;
    this.#pending = sources.map(() => null);
  }

  /** One reading of every source before the run starts: the first interval's CPU % counts from it. */
  async baseline(): Promise<void> {
    await Promise.all(
      this.#sources.map(async (source, i) => {
        const result = await source.read();
        this.#say(this.#log.baseline(i, result, this.#deps.now()));
      }),
    );
  }

  /** The end of one history interval: read every source not still busy with the last reading. */
  interval(timestamp: number, elapsedSec: number, userCount: number): void {
    this.#sources.forEach((source, i) => {
      if (this.#stopped || this.#pending[i] !== null) return;
      const read = source.read().then((result) => {
        this.#pending[i] = null;
        const line = this.#log.add(i, result, { timestamp, elapsedSec, userCount, monotonicMs: this.#deps.now() });
        this.#csv.append(this.#log.samples.slice(-1));
        this.#say(line);
      });
      this.#pending[i] = read;
    });
  }

  /** Waits for readings in flight, closes the sources and the CSV. Idempotent. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    await Promise.all(this.#pending.filter((p): p is Promise<void> => p !== null));
    await Promise.all(this.#sources.map((s) => s.close()));
    this.#csv.close();
  }

  get samples(): readonly ResourceSample[] {
    return this.#log.samples;
  }

  get sourceNames(): readonly string[] {
    return this.#log.sources.map((s) => s.name);
  }

  get metricNames(): readonly string[] {
    return this.#metricNames;
  }

  /** All users spawned (the first time): the growth fit starts no earlier than this. */
  rampEnded(elapsedSec: number): void {
    this.#rampEndSec ??= elapsedSec;
  }

  /** The resources so far (the run's `resources` block at the end); made again only once a reading or the ramp's end came in. */
  summary(): ResourcesSummary {
    const of = this.#log.samples.length;
    const cached = this.#summary;
    if (cached !== null && cached.of === of && cached.rampEndSec === this.#rampEndSec) return cached.summary;
    const summary = summarizeResources(this.#log.sources, this.#log.samples, this.#metricNames, this.#warmUpSec, this.#rampEndSec);
    this.#summary = { of, rampEndSec: this.#rampEndSec, summary };
    return summary;
  }

  #say(line: string | null): void {
    if (line !== null) this.#deps.say(line);
  }
}
