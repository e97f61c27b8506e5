// Port of locustio/locust examples/custom_xmlrpc_client/xmlrpc_locustfile.py: a custom client for a
// protocol Locust has no client for (XML-RPC). XmlRpcClient proxies any method call to the server,
// times it and fires the request event (request_type "xmlrpc", name = the method, response_length
// 0), with the XML-RPC Fault as the request's exception; XmlRpcUser is an abstract User that gives
// its subclasses such a client; MyUser calls get_time() and get_random_number(0, 100), weight 1
// each, with no think time (none is set, as in the example).
//
// Changed, and why:
// - Python's xmlrpc.client.ServerProxy does not exist in Node: the client here is a minimal XML-RPC
//   over HTTP (POST of a <methodCall>, answer a <methodResponse> with a value or a <fault>), made
//   with Node's fetch, not brood's HttpUser client, so that only this client's own report reaches the
//   stats, as in the example. __getattr__ becomes a Proxy: any property is a remote method.
// - `self._request_event.fire(**request_meta)` becomes `environment.recordRequest({ type, name,
//   responseTimeMs, responseLength, error })`, brood's form of it (README "Custom clients"); the
//   time is measured with performance.now() around the call, as perf_counter() in the example.
// - Only a Fault is caught and recorded as the request's failure, as in the example; anything else
//   (a connection error) is thrown into the task, unrecorded, as there.
// - The server (examples/custom_xmlrpc_client/server.py) is the test's: it sleeps a random time
//   before answering, as the example's, scaled from up to 1 s to up to 100 ms.
// - `host = "http://127.0.0.1:8877/"` becomes the test's server ($LOCUST_EXAMPLE_HOST, or -H).
import { User } from 'brood';

/** xmlrpc.client.Fault: what the server answered with a <fault>. */
class Fault extends Error {
  constructor(faultCode, faultString) {
    super(`<Fault ${faultCode}: '${faultString}'>`);
    this.name = 'Fault';
    this.faultCode = faultCode;
    this.faultString = faultString;
  }
}

function encodeValue(v) {
  if (Number.isInteger(v)) return `<value><int>${v}</int></value>`;
  if (typeof v === 'number') return `<value><double>${v}</double></value>`;
  return `<value><string>${String(v).replace(/&/g, '&amp;').replace(/</g, '&lt;')}</string></value>`;
}

function decodeValue(xml) {
  const m = /<(int|i4|double|string|boolean)>([^<]*)<\/\1>/.exec(xml);
  if (!m) return null;
  if (m[1] === 'string') return m[2].replace(/&lt;/g, '<').replace(/&amp;/g, '&');
  if (m[1] === 'boolean') return m[2] === '1';
  return Number(m[2]);
}

/** ServerProxy(host): `await proxy.get_random_number(0, 100)` calls the remote method. */
class ServerProxy {
  constructor(host) {
    this.host = host;
  }

  async call(name, args) {
    const body = `<?xml version="1.0"?><methodCall><methodName>${name}</methodName><params>${args.map((a) => `<param>${encodeValue(a)}</param>`).join('')}</params></methodCall>`;
    const res = await fetch(this.host, { method: 'POST', headers: { 'content-type': 'text/xml' }, body });
    const xml = await res.text();
    if (!res.ok) throw new Error(`ProtocolError: ${res.status} ${res.statusText}`);
    const fault = /<fault>([\s\S]*)<\/fault>/.exec(xml);
    if (fault) {
      const member = (n) => decodeValue(new RegExp(`<name>${n}</name>\\s*(<value>[\\s\\S]*?</value>)`).exec(fault[1])?.[1] ?? '');
      throw new Fault(member('faultCode'), member('faultString'));
    }
    return decodeValue(xml);
  }
}

/**
 * XmlRpcClient is a wrapper around ServerProxy. It proxies any function calls and records the
 * request when they finish, so that the calls get recorded in brood.
 */
class XmlRpcClient extends ServerProxy {
  constructor(host, environment) {
    super(host);
    this._environment = environment;
    return new Proxy(this, {
      get: (target, name) => (typeof name !== 'string' || name in target ? target[name] : (...args) => target.wrapper(name, args)),
    });
  }

  async wrapper(name, args) {
    const requestMeta = {
      type: 'xmlrpc',
      name,
      responseLength: 0, // calculating this for an xmlrpc response would be too hard
      response: null,
      error: null,
    };
    const started = performance.now();
    try {
      requestMeta.response = await this.call(name, args);
    } catch (e) {
      if (!(e instanceof Fault)) throw e;
      requestMeta.error = e;
    }
    requestMeta.responseTimeMs = performance.now() - started;
    // This is what makes the request actually get logged in brood
    this._environment.recordRequest({ type: requestMeta.type, name, responseTimeMs: requestMeta.responseTimeMs, responseLength: requestMeta.responseLength, error: requestMeta.error });
    return requestMeta.response;
  }
}

/** A minimal user class that provides an XmlRpcClient to its subclasses. */
class XmlRpcUser extends User {
  static abstract = true; // dont instantiate this as an actual user when running brood

  constructor(environment) {
    super(environment);
    this.client = new XmlRpcClient(this.host, environment);
  }
}

// The real user class that will be instantiated and run by brood.
// This is the only thing that is actually specific to the service that we are testing.
export class MyUser extends XmlRpcUser {
  static host = process.env.LOCUST_EXAMPLE_HOST ?? 'http://127.0.0.1:8877/';
  static tasks = ['get_time', 'get_random_number'];

  async get_time() {
    await this.client.get_time();
  }

  async get_random_number() {
    await this.client.get_random_number(0, 100);
  }
}
