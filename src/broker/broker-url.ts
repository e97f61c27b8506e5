/**
 * broker/: the Redis connection a distributed run is coordinated through (--broker): its URL
 * (here), connecting with one-line errors (broker-connection.ts), a reliable message link over
 * Redis streams (stream-link.ts) and the broker's clock (broker-clock.ts). Transport only: what
 * the messages mean is runner/remote/'s.
 */
import { ConfigError } from '../core/errors.js';

export interface BrokerUrl {
  /** The URL as given (with its password): only ever handed to the Redis client. */
  readonly url: string;
  /** The URL with any password masked, for every message and file. */
  readonly shown: string;
  readonly tls: boolean;
}

/** Checks a --broker value (`from` names where it came from: "--broker", "BROOD_BROKER"). */
export function parseBrokerUrl(text: string, from: string): BrokerUrl {
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw new ConfigError('BAD_BROKER', `${from} ${maskPassword(text)} is not a URL: give redis://[user:password@]host[:port][/db] or rediss://… for TLS`);
  }
  const shown = maskPassword(text);
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') {
    throw new ConfigError('BAD_BROKER', `${from} ${shown}: the broker is Redis, so the URL starts with redis:// (or rediss:// for TLS), not ${u.protocol}//`);
  }
  if (u.hostname === '') throw new ConfigError('BAD_BROKER', `${from} ${shown} names no host: give redis://host:6379`);
  const db = u.pathname.replace(/^\//, '');
  if (db !== '' && !/^\d{1,2}$/.test(db)) throw new ConfigError('BAD_BROKER', `${from} ${shown}: the path is the database number (/0 … /15), not /${db}`);
  return { url: text, shown, tls: u.protocol === 'rediss:' };
}

/** The URL with the password part of its user info replaced by ***, whatever else is wrong with it. */
export function maskPassword(text: string): string {
  return text.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/@:]*:)[^/@]*@/i, '$1***@');
}
