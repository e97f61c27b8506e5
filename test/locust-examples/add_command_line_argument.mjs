// Port of locustio/locust examples/add_command_line_argument.py: the locustfile declares command-line
// options of its own (Locust's init_command_line_parser + parser.add_argument), prints one of them
// when the test starts, and each task prints two of them.
//
// Changed, and why:
// - brood's form of parser.add_argument is `export const options` (README "The test file's own
//   options"); users and listeners read them as environment.parsedOptions by camelCase name.
// - env_var="LOCUST_MY_ARGUMENT": brood reads every declared option from BROOD_<NAME> by itself, so
//   the variable is BROOD_MY_ARGUMENT; there is no way to name another.
// - `--endpoints` (choices a, b, c, is_multiple=True, default ["a"]): brood options take one value,
//   with no list type. It is declared as a string of comma-separated names (default "a"), split and
//   checked against the choices by the users; an unknown name is refused at run time by a failing
//   task instead of before the run.
// - Web UI settings have no meaning without a web UI (every brood run is headless) and are left out:
//   include_in_web_ui=False, is_secret=True (the value is NOT masked anywhere: brood prints a run's
//   command line, secrets included, in its report), is_required=True (Locust enforces it in the web
//   form only; the option has a default anyway).
// - `--my-ui-boolean-argument` (default True, no type: argparse would take any following word as
//   its string value) is a brood boolean defaulting to true; as a brood flag it cannot be turned off
//   on the command line, only with `my-ui-boolean-argument = false` in brood.conf or
//   BROOD_MY_UI_BOOLEAN_ARGUMENT=false.
// - The example's user has no wait_time (no think time) and its task only prints. Added: each task
//   also sends GET /my_task with the values it printed, so the test's server sees them reach every
//   user; run it with -i (iterations) to bound the loop.
import { HttpUser, events } from 'brood';

const ENDPOINT_CHOICES = ['a', 'b', 'c'];

export const options = {
  'my-argument': { type: 'string', default: '', help: "It's working" },
  // Choices will validate command line input
  env: { type: 'string', choices: ['dev', 'staging', 'prod'], default: 'dev', help: 'Environment' },
  endpoints: { type: 'string', default: 'a', help: 'Endpoints: comma-separated, each one of a, b, c' },
  'my-ui-invisible-argument': { type: 'string', default: 'I am invisible' },
  'my-ui-password-argument': { type: 'string', default: 'I am a secret' },
  'my-ui-boolean-argument': { type: 'boolean', default: true },
  'my-ui-required-argument': { type: 'string', default: 'I am required' },
};

events.testStart.on(({ environment }) => {
  console.log(`Custom argument supplied: ${environment.parsedOptions.myArgument}`);
});

export class WebsiteUser extends HttpUser {
  static tasks = ['myTask'];

  async myTask() {
    const o = this.environment.parsedOptions;
    console.log(`my_argument=${o.myArgument}`);
    console.log(`my_ui_invisible_argument=${o.myUiInvisibleArgument}`);
    const endpoints = String(o.endpoints).split(',');
    const unknown = endpoints.filter((e) => !ENDPOINT_CHOICES.includes(e));
    if (unknown.length > 0) throw new Error(`--endpoints: ${unknown.join(', ')} not one of ${ENDPOINT_CHOICES.join(', ')}`);
    await this.client.get('/my_task', {
      params: {
        my_argument: o.myArgument,
        env: o.env,
        endpoints,
        my_ui_invisible_argument: o.myUiInvisibleArgument,
        my_ui_password_argument: o.myUiPasswordArgument,
        my_ui_boolean_argument: String(o.myUiBooleanArgument),
        my_ui_required_argument: o.myUiRequiredArgument,
      },
    });
  }
}
