/**
 * The web UI's HTTP server: the page and its files, the live stream, and Locust's web API, behind
 * the checks web-security.ts defines (Host, Origin on every POST, basic auth). Plain node:http:
 * a handful of routes do not need a framework, and every byte it sends is brood's own.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock } from '../core/clock.js';
import { LiveFeed } from './live-feed.js';
import { currentRunFigures } from '../report/live-figures.js';
import { metricsEndpoint } from '../report/metrics-endpoint.js';
import { PrometheusExposition } from '../report/prometheus-exposition.js';
import { locustExceptions, locustStatsReport } from './locust-api.js';
import type { RunController } from './run-controller.js';
import { loadAssets, type Asset } from './static-assets.js';
import { taskRatio } from './task-ratio.js';
import type { UiConfig } from './ui-payload.js';
import { uiUpdate, newCursor } from './ui-update.js';
import { download, reportPolicy, type DownloadKind } from './web-downloads.js';
import { allowedHostNames, BasicAuthCheck, hostAllowed, originAllowed, SECURITY_HEADERS } from './web-security.js';

export interface WebUiSettings {
  host: string;
  port: number;
  /** "user:password" for HTTP basic auth, or null. */
  auth: string | null;
  /** "" or "/brood" (no trailing slash): where a reverse proxy mounts the UI. */
  basePath: string;
}

/** Form bodies are a few fields: anything larger is refused before it is read whole. */
const MAX_FORM_BYTES = 64 * 1024;

type Handler = (req: IncomingMessage, res: ServerResponse, query: URLSearchParams) => void | Promise<void>;

const DOWNLOAD_ROUTES: Readonly<Record<string, DownloadKind>> = {
  '/stats/requests/csv': 'stats',
  '/stats/requests_full_history/csv': 'history',
  '/stats/failures/csv': 'failures',
  '/exceptions/csv': 'exceptions',
  '/stats/report': 'report',
  '/stats/report.json': 'json',
};

export class WebServer {
  readonly #settings: WebUiSettings;
  readonly #controller: RunController;
  readonly #config: UiConfig;
  readonly #clock: Clock;
  readonly #assets: Map<string, Asset>;
  readonly #auth: BasicAuthCheck | null;
  readonly #hosts: Set<string>;
  readonly #feed: LiveFeed;
  readonly #server: Server;
  readonly #get = new Map<string, Handler>();
  readonly #post = new Map<string, Handler>();

  constructor(settings: WebUiSettings, controller: RunController, config: UiConfig, clock: Clock) {
    this.#settings = settings;
    this.#controller = controller;
    this.#config = config;
    this.#clock = clock;
    this.#assets = loadAssets();
    this.#auth = settings.auth === null ? null : new BasicAuthCheck(settings.auth);
    this.#hosts = allowedHostNames(settings.host);
    this.#feed = new LiveFeed(clock, () => controller.uiState());
    this.#server = createServer((req, res) => void this.#handle(req, res));
    // An SSE stream is a request that never ends: it must not be cut by the request timeout.
    this.#server.requestTimeout = 0;
    this.#routes();
  }

  /** Listens; resolves with the page's URL (the port filled in when --web-port 0 asked for a free one). */
  async listen(): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(this.#settings.port, this.#settings.host, () => {
        this.#server.off('error', reject);
        resolve();
      });
    });
    const port = (this.#server.address() as AddressInfo).port;
    const host = this.#settings.host.includes(':') ? `[${this.#settings.host}]` : this.#settings.host;
    return `http://${host}:${port}${this.#settings.basePath}/`;
  }

  /** A run started or ended: the pages hear it now, not at the next tick. */
  notify(): void {
    this.#feed.push();
  }

  async close(): Promise<void> {
    this.#feed.close();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #routes(): void {
    const c = this.#controller;
    const json = (res: ServerResponse, body: unknown, status = 200): void => this.#send(res, status, 'application/json; charset=utf-8', JSON.stringify(body));
    this.#get.set('/', (_q, res) => this.#asset(res, 'index.html'));
    this.#get.set('/api/config', (_q, res) => json(res, this.#config));
    this.#get.set('/api/state', (_q, res) => json(res, uiUpdate(c.uiState(), newCursor())));
    this.#get.set('/api/live', (_q, res) => this.#feed.add(res, SECURITY_HEADERS));
    this.#get.set('/stats/requests', (_q, res) => json(res, locustStatsReport(c.current?.job.liveView() ?? null, c.state())));
    this.#get.set('/exceptions', (_q, res) => json(res, locustExceptions(c.current?.job.liveView() ?? null)));
    // Prometheus text of the current run (brood_*), behind the same Host and auth checks as the page.
    const exposition = new PrometheusExposition(currentRunFigures(() => c.current?.job.liveFigures() ?? null, () => this.#clock.wallNow()));
    const metrics = metricsEndpoint(exposition, `${this.#settings.basePath}/metrics`);
    this.#get.set('/metrics', (req, res) => void metrics(req, res));
    this.#get.set('/tasks', (_q, res) => json(res, taskRatio(c.current?.job.classSpecs ?? [], c.current?.job.liveView().classCounts ?? {})));
    for (const [path, kind] of Object.entries(DOWNLOAD_ROUTES)) this.#get.set(path, (_q, res, query) => this.#download(res, kind, query.has('download')));
    this.#post.set('/swarm', async (req, res) => {
      const form = await readForm(req);
      if (form === null) return this.#send(res, 413, 'text/plain; charset=utf-8', 'form too large or not application/x-www-form-urlencoded\n');
      const answer = await c.swarm(form);
      json(res, answer);
      this.#feed.push();
    });
    this.#post.set('/stop', (_q, res) => {
      json(res, c.stop());
      this.#feed.push();
    });
    this.#post.set('/stats/reset', (_q, res) => {
      c.resetStats();
      this.#send(res, 200, 'text/plain; charset=utf-8', 'ok');
      this.#feed.push();
    });
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const url = new URL(req.url ?? '/', 'http://ui.invalid');
      if (!hostAllowed(req.headers.host, this.#hosts, this.#settings.host === '0.0.0.0' || this.#settings.host === '::')) {
        return this.#send(res, 403, 'text/plain; charset=utf-8', 'forbidden: this Host is not the web UI\'s address (--web-host names it)\n');
      }
      if (this.#auth !== null && !this.#auth.accepts(req.headers.authorization)) {
        res.setHeader('www-authenticate', 'Basic realm="brood", charset="UTF-8"');
        return this.#send(res, 401, 'text/plain; charset=utf-8', 'authentication required (--web-auth)\n');
      }
      const path = this.#routePath(url.pathname);
      if (path === null) return this.#send(res, 404, 'text/plain; charset=utf-8', 'not found\n');
      if (path === '' ) return this.#redirect(res, `${this.#settings.basePath}/`);
      await this.#dispatch(req, res, path, url.searchParams);
    } catch (e) {
      if (!res.headersSent) this.#send(res, 500, 'text/plain; charset=utf-8', `internal error: ${e instanceof Error ? e.message : String(e)}\n`);
      else res.destroy();
    }
  }

  async #dispatch(req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams): Promise<void> {
    const get = this.#get.get(path);
    const post = this.#post.get(path);
    if (req.method === 'POST' && post) {
      if (!originAllowed(header(req, 'origin'), header(req, 'referer'), req.headers.host ?? '', 'http')) {
        return this.#send(res, 403, 'text/plain; charset=utf-8', 'forbidden: a POST must come from the web UI\'s own page (Origin)\n');
      }
      return post(req, res, query);
    }
    if ((req.method === 'GET' || req.method === 'HEAD') && get) return get(req, res, query);
    if ((req.method === 'GET' || req.method === 'HEAD') && this.#assets.has(path.slice(1))) return this.#asset(res, path.slice(1));
    if (get || post) {
      res.setHeader('allow', post ? 'POST' : 'GET, HEAD');
      return this.#send(res, 405, 'text/plain; charset=utf-8', `${req.method ?? ''} is not allowed here: use ${post ? 'POST' : 'GET'}\n`);
    }
    this.#send(res, 404, 'text/plain; charset=utf-8', 'not found\n');
  }

  /** The path under --web-base-path ("/" for its root, "" for the base without its slash); null outside it. */
  #routePath(pathname: string): string | null {
    const base = this.#settings.basePath;
    if (base === '') return pathname;
    if (pathname === base) return '';
    return pathname.startsWith(`${base}/`) ? pathname.slice(base.length) : null;
  }

  #asset(res: ServerResponse, name: string): void {
    const asset = this.#assets.get(name);
    if (asset === undefined) return this.#send(res, 404, 'text/plain; charset=utf-8', 'not found\n');
    this.#send(res, 200, asset.contentType, asset.body);
  }

  #download(res: ServerResponse, kind: DownloadKind, attach: boolean): void {
    const c = this.#controller;
    const d = download(c.current, !c.busy, kind, this.#clock.wallNow(), attach || kind !== 'report');
    if (d === null) return this.#send(res, 404, 'text/plain; charset=utf-8', c.current === null ? 'no test has run yet\n' : 'not written (yet)\n');
    if (d.fileName !== null) res.setHeader('content-disposition', `attachment; filename="${d.fileName}"`);
    const policy = kind === 'report' ? reportPolicy(d.body.toString()) : null;
    this.#send(res, 200, d.contentType, d.body, policy === null ? {} : { 'content-security-policy': policy });
  }

  #redirect(res: ServerResponse, location: string): void {
    res.setHeader('location', location);
    this.#send(res, 308, 'text/plain; charset=utf-8', `see ${location}\n`);
  }

  #send(res: ServerResponse, status: number, contentType: string, body: string | Buffer, extra: Record<string, string> = {}): void {
    res.writeHead(status, { ...SECURITY_HEADERS, ...extra, 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
    res.end(res.req.method === 'HEAD' ? undefined : body);
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** An urlencoded form body (Locust's clients post these); null when it is too large or of another type. */
async function readForm(req: IncomingMessage): Promise<URLSearchParams | null> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type !== 'application/x-www-form-urlencoded' && type !== '') {
    req.resume();
    return null;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_FORM_BYTES) return null;
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}
