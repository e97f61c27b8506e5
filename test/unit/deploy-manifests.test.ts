/**
 * deploy/kubernetes/ and the Dockerfile (issue 19): every manifest parses, has what a distributed
 * run needs (a broker Service, the master as a Job, the workers as an Indexed Job, the test file
 * from a ConfigMap, resource requests), and every container command is accepted by brood's own
 * argument parser, as the master or as a worker.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { REPO_ROOT } from '../helpers/cli.js';
import { buildRunCommand, type RawRunOptions } from '../../src/cli/args.js';
import { validateRunOptions } from '../../src/cli/run-config.js';
import { refuseMasterOptions } from '../../src/cli/worker-command.js';

interface Container { name: string; image: string; command?: string[]; resources?: { requests?: Record<string, string> } }
interface Manifest {
  kind: string;
  metadata: { name: string };
  spec?: { completionMode?: string; template?: { spec?: { containers?: Container[]; volumes?: Array<{ configMap?: { name: string } }> } } };
  data?: Record<string, string>;
}

const DIR = join(REPO_ROOT, 'deploy', 'kubernetes');

function manifests(): Manifest[] {
  return readdirSync(DIR).filter((f) => f.endsWith('.yaml')).sort().flatMap((f) =>
    parseAllDocuments(readFileSync(join(DIR, f), 'utf8')).map((doc) => {
      assert.deepEqual(doc.errors, [], `${f} parses`);
      return doc.toJS() as Manifest;
    }),
  );
}

function containers(m: Manifest): Container[] {
  return m.spec?.template?.spec?.containers ?? [];
}

/** Parses a container's command as run-load-tests would, and checks it as its role does. */
function accepted(command: readonly string[]): 'master' | 'worker' {
  assert.equal(command[0], 'run-load-tests');
  const cmd = buildRunCommand('0.0.0').exitOverride().configureOutput({ writeErr: () => undefined });
  cmd.parse([...command.slice(1)], { from: 'user' });
  const config = validateRunOptions({ ...cmd.opts<RawRunOptions>(), userClassNames: cmd.processedArgs[0] as string[] | undefined });
  assert.ok(config.distributed !== null, `${command.join(' ')} is part of a distributed run`);
  if (config.distributed.role === 'worker') refuseMasterOptions(cmd);
  return config.distributed.role;
}

test('the manifests: broker Deployment + Service, master Job, workers Indexed Job, test file ConfigMap; every command accepted by brood', () => {
  const all = manifests();
  const kinds = all.map((m) => `${m.kind}/${m.metadata.name}`).sort();
  assert.deepEqual(kinds, ['ConfigMap/brood-test', 'Deployment/brood-redis', 'Job/brood-master', 'Job/brood-workers', 'Service/brood-redis']);
  const workers = all.find((m) => m.metadata.name === 'brood-workers');
  assert.equal(workers?.spec?.completionMode, 'Indexed', 'a restarted worker pod keeps its index');
  const roles: string[] = [];
  for (const m of all) {
    for (const c of containers(m)) {
      assert.ok(c.resources?.requests?.['cpu'] !== undefined && c.resources.requests['memory'] !== undefined, `${m.metadata.name}/${c.name} requests CPU and memory`);
      if (c.command?.[0] === 'run-load-tests') {
        roles.push(accepted(c.command));
        assert.ok(c.command.includes('redis://brood-redis:6379'), 'the broker is the Service in the namespace');
        assert.equal(c.image, 'brood:latest', 'the image the Dockerfile builds');
        assert.ok(m.spec?.template?.spec?.volumes?.some((v) => v.configMap?.name === 'brood-test'), 'the test file comes from the ConfigMap');
      }
    }
  }
  assert.deepEqual(roles.sort(), ['master', 'worker']);
  // The ConfigMap's example file is a test file brood can load: it imports brood and exports a user class.
  const file = all.find((m) => m.kind === 'ConfigMap')?.data?.['locustfile.mjs'] ?? '';
  assert.match(file, /from 'brood'/);
  assert.match(file, /export class \w+ extends HttpUser/);
});

test('the Dockerfile copies only what the repository has, and puts run-load-tests on the PATH', () => {
  const docker = readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8');
  for (const [, from] of docker.matchAll(/^COPY (?!--from)(\S+)/gm)) assert.ok(existsSync(join(REPO_ROOT, from ?? '')), `COPY ${from ?? ''} exists`);
  assert.match(docker, /\/usr\/local\/bin\/run-load-tests/);
});
