/**
 * brood's own figures for the dashboards teams already have (issue 23): Prometheus text on
 * --metrics-port while the run goes, and OTLP/HTTP pushes to --otlp-endpoint every 5 s with a final
 * push once the files are written. The scrape server starts before the run (a port in use is bad
 * input: exit 2, nothing written) and reads the Job's figures once there is one.
 */
import { ConfigError } from '../core/errors.js';
import { currentRunFigures, type LiveFigures } from '../report/live-figures.js';
import type { OtlpExporter } from '../report/otlp-exporter.js';
import type { MetricsServer } from '../web/metrics-server.js';
import type { ExportersConfig } from './run-config.js';

export class RunExporters {
  #figures: LiveFigures | null = null;
  #server: MetricsServer | null = null;
  #otlp: OtlpExporter | null = null;
  readonly #config: ExportersConfig;
  readonly #print: (line: string) => void;

  private constructor(config: ExportersConfig, print: (line: string) => void) {
    this.#config = config;
    this.#print = print;
  }

  /** Listens on --metrics-port, if asked; a port that cannot be had is a ConfigError. */
  static async open(config: ExportersConfig, print: (line: string) => void): Promise<RunExporters> {
    const exporters = new RunExporters(config, print);
    if (config.metricsPort === null) return exporters;
    const figures = currentRunFigures(() => exporters.#figures, () => Date.now());
    try {
      // prom-client and the OpenTelemetry SDK load only for runs that export (startup stays light).
      const { startMetricsServer } = await import('../web/metrics-server.js');
      exporters.#server = await startMetricsServer({ host: config.metricsHost, port: config.metricsPort, figures });
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      throw new ConfigError('BAD_ARGUMENT', `--metrics-port ${config.metricsPort} on ${config.metricsHost}: ${typeof code === 'string' ? code : String(e)}${code === 'EADDRINUSE' ? ' (another process listens there: pick another port, or 0 for any free one)' : ''}`);
    }
    print(`Metrics: ${exporters.#server.url} (Prometheus text of this run, brood_*)`);
    return exporters;
  }

  /** The run's figures: the scrape server reads them from now on, and the OTLP pushes start. */
  async attach(figures: LiveFigures, runName: string): Promise<void> {
    this.#figures = figures;
    const endpoint = this.#config.otlpEndpoint;
    if (endpoint === null) return;
    const { startOtlpExporter } = await import('../report/otlp-exporter.js');
    this.#otlp = startOtlpExporter({ endpoint, figures, resourceAttributes: { 'brood.run': runName }, warn: (line) => this.#print(`warning: ${line}`) });
    this.#print(`OTLP: pushing this run's figures to ${this.#otlp.url} every 5 s`);
  }

  /** The final OTLP push (bounded in time), then the scrape server closes. Idempotent. */
  async close(): Promise<void> {
    const otlp = this.#otlp;
    const server = this.#server;
    this.#otlp = null;
    this.#server = null;
    await otlp?.shutdown();
    await server?.close();
  }
}
