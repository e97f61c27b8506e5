// Lint for the TypeScript sources: typescript-eslint's type-checked recommended rules over
// everything tsconfig.json compiles. Import direction between layers is checked separately by
// dependency-cruiser (.dependency-cruiser.cjs); both run in `npm run lint`, part of `npm test`.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'results/**', 'test/fixtures/**', 'test/locust-examples/*.mjs', 'bench/fixtures/**', 'bin/**', 'eslint.config.js', '.dependency-cruiser.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Matching control characters is the point where brood strips them from console text and
      // refuses them in cookie names and values (console-text.ts, cookie-rules.ts).
      'no-control-regex': 'off',
      // node:test's test()/describe() return promises its runner awaits: not floating.
      '@typescript-eslint/no-floating-promises': ['error', { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite'] }] }],
    },
  },
  {
    files: ['src/**/*.ts'],
    rules: {
      // Node's global performance is a getter: each performance.now() on the request path read
      // through it costs ~8 ns more than the same call on the imported object (two to four a request).
      'no-restricted-globals': ['error', { name: 'performance', message: "import { performance } from 'node:perf_hooks' (the global is a getter, slower on the hot path)" }],
    },
  },
  {
    // The web UI's page scripts run in the browser, outside tsconfig: linted as plain modern JS.
    files: ['src/web/assets/**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { sourceType: 'module', parserOptions: { projectService: false, project: null } },
    rules: { ...tseslint.configs.disableTypeChecked.rules, 'no-undef': 'off' },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      // A test's tasks and hooks are written async, as users write them, even when they await nothing.
      '@typescript-eslint/require-await': 'off',
      // Assertion messages print arrays of numbers as they are (joined by commas).
      '@typescript-eslint/restrict-template-expressions': ['error', { allowArray: true, allowNumber: true }],
    },
  },
);
