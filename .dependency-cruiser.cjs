/**
 * The import direction of brood's layers (README, "Architecture"), checked by `npm run lint`:
 *
 *   cli ─► web ─► runner ─► loading ─► report / stats / http / broker ─► core
 *   monitor/ (watching the system under test) sits under report, runner and web, over core.
 *   analyze/ reads result files: it imports core, stats types and report's pure rules only.
 *   users/ shapes/ scenarios/ are written as test files are: through the public API (src/index.ts).
 *
 * Type-only imports are allowed across layers (they vanish at run time); everything else that
 * points upward is an error.
 */
const below = (layer, allowed) => ({
  name: `${layer}-imports-only-below`,
  comment: `src/${layer}/ may import only ${allowed.join(', ')} (type-only imports excepted)`,
  severity: 'error',
  from: { path: `^src/${layer}/` },
  to: {
    path: '^(src|analyze|users|shapes|scenarios|bench|test)/',
    pathNot: [`^src/${layer}/`, ...allowed.map((a) => `^${a}/`)],
    dependencyTypesNot: ['type-only'],
  },
});

module.exports = {
  forbidden: [
    below('core', []),
    below('stats', ['src/core']),
    below('http', ['src/core', 'src/stats']),
    below('grpc', ['src/core', 'src/http']),
    below('report', ['src/core', 'src/stats', 'src/monitor']),
    // Watching the system under test (issue 23): /proc and Prometheus scrapes, below the runner.
    below('monitor', ['src/core']),
    below('ws', ['src/core', 'src/http']),
    below('loading', ['src/core', 'src/stats', 'src/http', 'src/report', 'users', 'shapes', 'scenarios']),
    below('broker', ['src/core']),
    below('runner', ['src/core', 'src/stats', 'src/http', 'src/report', 'src/loading', 'src/broker', 'src/monitor']),
    below('demo-server', ['src/core']),
    // The live web UI sits above the runner: the CLI builds runs, web/ shows and steers them.
    below('web', ['src/core', 'src/stats', 'src/http', 'src/report', 'src/loading', 'src/broker', 'src/runner', 'src/monitor']),
    // Inside the runner: job → remote → workers → thread → open → closed.
    ...[
      ['closed', ['open', 'thread', 'workers', 'remote', 'job']],
      ['open', ['thread', 'workers', 'remote', 'job']],
      ['thread', ['workers', 'remote', 'job']],
      ['workers', ['remote', 'job']],
      ['remote', ['job']],
    ].map(([from, above]) => ({
      name: `runner-${from}-imports-only-below`,
      severity: 'error',
      from: { path: `^src/runner/${from}/` },
      to: { path: `^src/runner/(${above.join('|')})/`, dependencyTypesNot: ['type-only'] },
    })),
    {
      name: 'analyze-reads-files-only',
      comment: 'analyze/ reads result files: no runner, HTTP client, CLI, test loading, user code, undici or faker',
      severity: 'error',
      from: { path: '^analyze/' },
      to: {
        path: ['^src/(runner|http|cli|loading|demo-server)/', '^src/index\\.ts$', '^users/', '^shapes/', '^scenarios/(?!scenario-targets\\.ts$)', 'node_modules/(undici|@faker-js)/'],
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'examples-use-the-public-api',
      comment: 'users/, shapes/, scenarios/ import brood only through src/index.ts, as a test file would',
      severity: 'error',
      from: { path: '^(users|shapes|scenarios)/' },
      to: { path: '^src/', pathNot: '^src/index\\.ts$', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'src-does-not-import-tests-or-benches',
      severity: 'error',
      from: { path: '^(src|analyze|users|shapes|scenarios)/' },
      to: { path: '^(test|bench)/' },
    },
    {
      name: 'no-circular',
      comment: 'a cycle hides which module owns what',
      severity: 'error',
      from: { path: '^(src|analyze)/' },
      // A cycle through a type-only import vanishes at run time (tasks.ts ⇄ markov-table.ts's types).
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.js', '.mjs'] },
  },
};
