import { Agent, request } from 'undici';
import { basicAuthHeader, urlCredentials } from '../core/credentials-text.js';
import type { MetricSelector } from './metric-selector.js';
import { selectValue } from './metric-selector.js';
import { parsePrometheusText } from './prometheus-text.js';
import type { ResourceSource, SourceResult } from './resource-sample.js';

/** The process metrics every Prometheus client library exports under these names. */
const RSS = { name: 'process_resident_memory_bytes', labels: {} };
const CPU = { name: 'process_cpu_seconds_total', labels: {} };
const OPEN_FDS = { name: 'process_open_fds', labels: {} };
/** Largest scrape read (a node_exporter page is ~100 KB; more is not a metrics page). */
const MAX_BYTES = 16 * 1024 * 1024;

export interface UrlSourceOptions {
  /** The name outputs use (default: the URL without credentials). */
  name?: string;
  metrics: readonly MetricSelector[];
  /** A scrape that takes longer is a gap (default 900 ms: within the 1 s interval). */
  timeoutMs?: number;
}

/**
 * A Prometheus endpoint scraped once per interval (--monitor-url): process_resident_memory_bytes,
 * process_cpu_seconds_total, process_open_fds and the --monitor-metric series. Credentials in the
 * URL become a basic-auth header and never appear in its name. One keep-alive connection.
 */
export class UrlSource implements ResourceSource {
  readonly kind = 'url';
  readonly name: string;
  readonly #url: string;
  readonly #auth: string | null;
  readonly #metrics: readonly MetricSelector[];
  readonly #timeoutMs: number;
  readonly #agent = new Agent({ connections: 1, keepAliveTimeout: 10_000 });

  constructor(url: string, options: UrlSourceOptions) {
    const u = new URL(url);
    const auth = urlCredentials(u);
    this.#auth = auth === null ? null : basicAuthHeader(auth);
    u.username = '';
    u.password = '';
    this.#url = u.toString();
    this.name = options.name ?? this.#url;
    this.#metrics = options.metrics;
    this.#timeoutMs = options.timeoutMs ?? 900;
  }

  async read(): Promise<SourceResult> {
    let text: string;
    try {
      const res = await request(this.#url, {
        dispatcher: this.#agent,
        headers: { accept: 'text/plain;version=0.0.4;q=1,*/*;q=0.1', ...(this.#auth === null ? {} : { authorization: this.#auth }) },
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
      if (res.statusCode !== 200) {
        await res.body.dump();
        return { ok: false, reason: `${this.name} answered HTTP ${res.statusCode}` };
      }
      text = await readCapped(res.body);
    } catch (e) {
      return { ok: false, reason: `${this.name} did not answer: ${reasonOf(e, this.#timeoutMs)}` };
    }
    const { samples } = parsePrometheusText(text);
    if (samples.length === 0) return { ok: false, reason: `${this.name} sent no Prometheus samples` };
    return {
      ok: true,
      reading: {
        rssBytes: selectValue(samples, RSS),
        cpuSeconds: selectValue(samples, CPU),
        threads: null,
        openFiles: selectValue(samples, OPEN_FDS),
        metrics: this.#metrics.map((m) => selectValue(samples, m)),
      },
    };
  }

  close(): Promise<void> {
    return this.#agent.close();
  }
}

async function readCapped(body: AsyncIterable<Buffer>): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > MAX_BYTES) throw new Error(`more than ${MAX_BYTES} bytes: not a metrics page`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function reasonOf(e: unknown, timeoutMs: number): string {
  if (e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError')) return `no answer within ${timeoutMs} ms`;
  const code = (e as { code?: unknown }).code;
  return typeof code === 'string' ? code : e instanceof Error ? e.message : String(e);
}
