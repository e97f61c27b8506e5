/**
 * Where a GrpcUser's channel goes: its host URL read into grpc-js's "host:port" target and whether
 * the channel speaks TLS. grpc:// and http:// are plain HTTP/2, grpcs:// and https:// TLS. An
 * http(s):// port defaults as a URL's does (80, 443); gRPC has no default port, so grpc(s):// needs
 * one (as --host says). A gRPC method is named in each call, so a path in the host could only be a
 * mistake: it is refused, as is any other scheme. Pure.
 */
import { decodeUrlCredential } from '../core/credentials-text.js';
import { ConfigError } from '../core/errors.js';

export interface GrpcTarget {
  /** "host:port" as grpc-js takes it ("[::1]:50051" for IPv6). */
  address: string;
  secure: boolean;
  /** The target without credentials, e.g. "grpcs://api.example.com:443": what a shared channel is keyed by. */
  origin: string;
  /** Credentials written in the URL (grpc://user:pass@host), sent as basic auth; null when none. */
  auth: readonly [string, string] | null;
}

const SECURE: Readonly<Record<string, boolean>> = { 'grpc:': false, 'http:': false, 'grpcs:': true, 'https:': true };
const DEFAULT_PORT: Readonly<Record<string, string>> = { 'http:': '80', 'https:': '443' };

/** The channel target of `baseUrl`, or a ConfigError('BAD_HOST') in one line naming the class. */
export function grpcTarget(baseUrl: string, className: string): GrpcTarget {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new ConfigError('BAD_HOST', `${className}: the host is not a URL: write grpc://host:port or grpcs://host:port`);
  }
  const secure = SECURE[url.protocol];
  if (secure === undefined) {
    throw new ConfigError('BAD_HOST', `${className} is a GrpcUser: its host must be grpc://, grpcs://, http:// or https://, not ${url.protocol}//`);
  }
  if ((url.pathname !== '/' && url.pathname !== '') || url.search !== '' || url.hash !== '') {
    throw new ConfigError('BAD_HOST', `${className}: a gRPC host has no path (${url.protocol}//${url.host}${url.pathname}${url.search}): each call names its method, e.g. this.grpc.unary('pkg.Service/Method', …)`);
  }
  const port = url.port === '' ? DEFAULT_PORT[url.protocol] : url.port;
  if (port === undefined) throw new ConfigError('BAD_HOST', `${className}: ${url.protocol}//${url.host} needs a port (gRPC has no default one), e.g. ${url.protocol}//127.0.0.1:50051`);
  const auth = url.username === '' && url.password === '' ? null : ([decodeUrlCredential(url.username), decodeUrlCredential(url.password)] as const);
  const address = `${url.hostname}:${port}`;
  return { address, secure, origin: `${url.protocol}//${address}`, auth };
}
