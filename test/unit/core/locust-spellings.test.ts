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
