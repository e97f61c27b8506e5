/**
 * `import { events } from 'brood'`: Locust's `from locust import events`. A test file registers
 * listeners at import time (`events.testStart.on(({ environment }) => …)`); this registry only
 * collects them, and each run copies them into its own hooks when it is set up (runHooks), in the
 * main process and in each --processes worker (which imports the file too). The one module-level
 * object STYLE allows: it holds listeners, never run state.
 */
import { createHooks, type Hooks } from './hooks.js';

export const events: Hooks = createHooks();
