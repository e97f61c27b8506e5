import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LoadShape, type ShapeTick } from '../../../src/core/shape.js';
import { shapeSpellingProblem } from '../../../src/core/locust-spellings.js';

class Plain extends LoadShape {
  tick(): ShapeTick | null {
    return null;
  }
}

test("shapeSpellingProblem: Locust's use_common_options turned on (a field or a static) is a problem naming it; off, or absent, is none", () => {
  class On extends Plain {
    use_common_options = true;
  }
  class StaticOn extends Plain {
    static use_common_options = true;
  }
  class Off extends Plain {
    use_common_options = false;
  }
  assert.match(shapeSpellingProblem(new On()) ?? '', /^On\.use_common_options is Locust's setting, which brood has no form of: .*-u\/-r/);
  assert.match(shapeSpellingProblem(new StaticOn()) ?? '', /^StaticOn\.use_common_options/);
  assert.equal(shapeSpellingProblem(new Off()), null, "Locust's default asks for nothing brood does not do");
  assert.equal(shapeSpellingProblem(new Plain()), null);
});

test('Locust\'s event names and EventHook methods, read on brood\'s events, throw brood\'s spelling; brood\'s own names and walking the hooks are untouched', async () => {
  const { createHooks, HOOK_NAMES } = await import('../../../src/core/hooks.js');
  const { LOCUST_EVENTS, LOCUST_HOOK_METHODS } = await import('../../../src/core/locust-spellings.js');
  const hooks = createHooks() as unknown as Record<string, unknown>;
  assert.throws(() => hooks.test_start, /^TypeError: events\.test_start is Locust's name of events\.testStart: use events\.testStart\.on\(listener\)$/);
  assert.throws(() => hooks.spawning_complete, /events\.spawningComplete\.on/);
  assert.throws(() => hooks.init_command_line_parser, /Locust's event, which brood has no form of: declare the file's options with `export const options/);
  for (const name of Object.keys(LOCUST_EVENTS)) assert.throws(() => hooks[name], TypeError, name);
  const hook = createHooks().request as unknown as Record<string, unknown>;
  for (const name of Object.keys(LOCUST_HOOK_METHODS)) assert.throws(() => hook[name], new RegExp(`^TypeError: ${name}\\(\\) is Locust's EventHook method: `), name);
  // Only brood's names are enumerable: a copy, a spread, a walk over the hooks sees none of the guards.
  assert.deepEqual(Object.keys(createHooks()).sort(), [...HOOK_NAMES].sort());
  assert.deepEqual(Object.keys({ ...createHooks() }).sort(), [...HOOK_NAMES].sort());
  let heard = 0;
  createHooks().testStart.on(() => heard++);
  const h = createHooks();
  h.testStart.on(() => heard++);
  h.testStart.emit({ host: 'h', environment: {} as never });
  assert.equal(heard, 1);
});
