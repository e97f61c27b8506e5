import { execFileSync } from 'node:child_process';

/**
 * Test hosts of our own (issue 19): `count` network namespaces joined to this machine by a bridge,
 * so a process started in one (`prefix(i)` before its command) reaches the host at `hostIp` from
 * its own address, and a server here sees each as a different host. Needs root (or CAP_NET_ADMIN)
 * and `ip`; `createNetnsLab` returns null where they are not available (the tests then stay on
 * loopback). Every name carries this process's pid, and `destroy()` removes all it made.
 */
export interface NetnsLab {
  /** The bridge's address on this machine (listen here to be reached from the namespaces). */
  hostIp: string;
  /** Each namespace's own address. */
  ips: string[];
  /** The command prefix that runs a program inside namespace i. */
  prefix(i: number): string[];
  destroy(): void;
}

function ip(...args: string[]): void {
  execFileSync('ip', args, { stdio: 'ignore', timeout: 5000 });
}

export function createNetnsLab(count: number): NetnsLab | null {
  const tag = String(process.pid % 100_000);
  const subnet = `10.77.${20 + (process.pid % 200)}`;
  const bridge = `bbr${tag}`;
  const made: Array<() => void> = [];
  const destroy = (): void => {
    for (const undo of made.reverse()) {
      try {
        undo();
      } catch {
        // already gone
      }
    }
    made.length = 0;
  };
  try {
    ip('link', 'add', bridge, 'type', 'bridge');
    made.push(() => ip('link', 'del', bridge));
    ip('addr', 'add', `${subnet}.1/24`, 'dev', bridge);
    ip('link', 'set', bridge, 'up');
    const namespaces: string[] = [];
    for (let i = 0; i < count; i++) {
      const ns = `brood${tag}n${i}`;
      const outer = `bv${tag}o${i}`;
      const inner = `bv${tag}i${i}`;
      ip('netns', 'add', ns);
      made.push(() => ip('netns', 'del', ns));
      ip('link', 'add', outer, 'type', 'veth', 'peer', 'name', inner);
      made.push(() => ip('link', 'del', outer));
      ip('link', 'set', inner, 'netns', ns);
      ip('link', 'set', outer, 'master', bridge);
      ip('link', 'set', outer, 'up');
      ip('-n', ns, 'addr', 'add', `${subnet}.${10 + i}/24`, 'dev', inner);
      ip('-n', ns, 'link', 'set', inner, 'up');
      ip('-n', ns, 'link', 'set', 'lo', 'up');
      namespaces.push(ns);
    }
    return {
      hostIp: `${subnet}.1`,
      ips: namespaces.map((_, i) => `${subnet}.${10 + i}`),
      prefix: (i) => ['ip', 'netns', 'exec', namespaces[i] ?? ''],
      destroy,
    };
  } catch {
    destroy();
    return null;
  }
}
