import { ConfigError, ConfigErrors } from '../core/errors.js';
import { checkWritable, resolveOutputPaths, type OutputPaths } from '../report/output-paths.js';

/**
 * The run's output paths, checked before anything starts: a results directory that cannot be
 * written is a configuration error (exit 2, one line per problem), not a run that loses its files.
 */
export function writableOutputPaths(o: {
  csvPrefix: string | null;
  html: string | null;
  json: string | null;
  logfile: string | null;
  resultsDir: string | null;
  recordTrace?: string | null;
}): OutputPaths {
  const paths = resolveOutputPaths({
    csvPrefix: o.csvPrefix ?? undefined,
    html: o.html ?? undefined,
    json: o.json ?? undefined,
    logfile: o.logfile ?? undefined,
    resultsDir: o.resultsDir ?? undefined,
    now: new Date(),
  });
  const unwritable = checkWritable(paths, o.recordTrace ? [o.recordTrace] : []);
  if (unwritable.length > 0) throw new ConfigErrors(unwritable.map((m) => new ConfigError('OUTPUT_NOT_WRITABLE', m)));
  return paths;
}
