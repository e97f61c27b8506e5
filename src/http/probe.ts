import { connect, isIP } from 'node:net';
import { connect as tlsConnect } from 'node:tls';

/**
 * One TCP (or TLS) connect to the target before any user starts, so a wrong --host or a server
 * that is not up is reported in one line within a second, instead of a run full of refusals.
 * Resolves null when reachable, else the reason (ECONNREFUSED, ENOTFOUND, timeout…).
 */
export function probeHost(baseUrl: string, timeoutMs = 1000): Promise<string | null> {
  const url = new URL(baseUrl);
  // ws(s):// and grpc(s):// ride on TCP and TLS as http(s):// do (a grpc:// host always names its port).
  const https = url.protocol === 'https:' || url.protocol === 'wss:' || url.protocol === 'grpcs:';
  const port = Number(url.port || (https ? 443 : 80));
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve) => {
    // SNI carries host names only (RFC 6066): Node warns (DEP0123) when given an IP address.
    const socket = https ? tlsConnect({ host, port, ...(isIP(host) === 0 ? { servername: host } : {}), rejectUnauthorized: false }) : connect({ host, port });
    const done = (reason: string | null): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(reason);
    };
    const timer = setTimeout(() => done(`no answer within ${timeoutMs} ms`), timeoutMs);
    socket.once(https ? 'secureConnect' : 'connect', () => done(null));
    socket.once('error', (e: NodeJS.ErrnoException) => done(e.code ?? e.message));
  });
}
