/**
 * A GrpcUser's proto files, loaded with @grpc/proto-loader into the table its calls look methods
 * up in ('pkg.Service/Method' → path, streaming kinds, (de)serializers), or the one-line problem
 * that stops the run: `protos/kernel.proto:12: illegal token '}'` (protobufjs puts the line in its
 * message, the file only sometimes: the import walk finds it when it does not).
 */
import type { Options, PackageDefinition } from '@grpc/proto-loader';
import { protoLoader } from './grpc-js.js';
import { importGraph } from './proto-imports.js';
import { protoSpecOf, shownPath, type ProtoSpec } from './proto-spec.js';

/** One method of a loaded service, as a call needs it. */
export interface GrpcMethod {
  /** 'pkg.Service/Method': the default stats name. */
  readonly name: string;
  /** '/pkg.Service/Method': what goes on the wire. */
  readonly path: string;
  readonly requestStream: boolean;
  readonly responseStream: boolean;
  readonly serialize: (message: object) => Buffer;
  readonly deserialize: (bytes: Buffer) => object;
}

export interface ProtoSet {
  /** By 'pkg.Service/Method'. */
  readonly methods: ReadonlyMap<string, GrpcMethod>;
  /** Each service's full name and its methods, in the order the files declare them. */
  readonly services: ReadonlyMap<string, readonly string[]>;
}

/** What the task sees of messages (fields under their .proto names, 64-bit integers and enums as strings). */
const LOADER_OPTIONS: Readonly<Options> = Object.freeze({ keepCase: true, longs: String, enums: String, defaults: true, oneofs: true });

/**
 * Loaded sets by their files and include directories. The one piece of module state in src/grpc,
 * on purpose: a class checks its protos before the run (a static method, with no run context to
 * hang a cache on) and every user of every run in this process then reads the same files, which
 * do not change while brood runs; what is kept is a pure function of them (parsed definitions, or
 * the problem found), never a run's state. Worker threads have a module instance each, so each
 * parses its own copy once.
 */
const loaded = new Map<string, ProtoSet | string>();

/** The spec's protos, loaded once per process; a string is the problem that stops the run (without the class name). */
export function loadProtoSet(spec: ProtoSpec): ProtoSet | string {
  const key = JSON.stringify([spec.files, spec.includeDirs]);
  let set = loaded.get(key);
  if (set === undefined) {
    set = load(spec);
    loaded.set(key, set);
  }
  return set;
}

function load(spec: ProtoSpec): ProtoSet | string {
  const graph = importGraph(spec.files, spec.includeDirs);
  if (graph.missing !== null) {
    const m = graph.missing;
    const looked = spec.includeDirs.length === 0 ? 'beside the file (no includeDirs given)' : `in ${spec.includeDirs.map((d) => shownPath(d, spec.baseDir) || '.').join(', ')} or beside the file`;
    return `${shownPath(m.file, spec.baseDir)}:${m.line}: import "${m.target}" not found ${looked}`;
  }
  const includeDirs = [...spec.includeDirs, ...graph.besideDirs];
  let definition: PackageDefinition;
  try {
    definition = protoLoader().loadSync([...spec.files], { ...LOADER_OPTIONS, includeDirs });
  } catch (e) {
    return describeFailure(messageOf(e), spec, graph.postOrder, includeDirs);
  }
  const set = methodTable(definition);
  if (set.services.size === 0) return `${spec.files.map((f) => shownPath(f, spec.baseDir)).join(', ')}: no service is defined (a GrpcUser calls a service's methods)`;
  return set;
}

// protobufjs: "illegal token '}', ';' expected (line 7)" or "illegal name 'x' (/abs/k.proto, line 7)".
const AT_LINE = /^([\s\S]*?) \((?:(.+), )?line (\d+)\)$/;

/** `file:line: message` when protobufjs said where, `file: message` when only the file is known. */
function describeFailure(message: string, spec: ProtoSpec, files: readonly string[], includeDirs: readonly string[]): string {
  const at = AT_LINE.exec(message);
  const text = at?.[1] ?? message;
  const file = at?.[2] ?? blame(message, files, includeDirs);
  const line = at?.[3];
  if (file === null) return text;
  return `${shownPath(file, spec.baseDir)}${line === undefined ? '' : `:${line}`}: ${text}`;
}

/**
 * The file a failure belongs to: the first one, imports first, that fails alone with the same
 * message (a file's own error comes before its imports are read, so an importer fails with its
 * import's error only after the import itself was tried). Runs only when loading failed.
 */
function blame(message: string, files: readonly string[], includeDirs: readonly string[]): string | null {
  if (files.length === 1) return files[0] ?? null;
  for (const file of files) {
    try {
      protoLoader().loadSync(file, { ...LOADER_OPTIONS, includeDirs: [...includeDirs] });
    } catch (e) {
      if (messageOf(e) === message) return file;
    }
  }
  return null;
}

function methodTable(definition: PackageDefinition): ProtoSet {
  const methods = new Map<string, GrpcMethod>();
  const services = new Map<string, string[]>();
  for (const [serviceName, def] of Object.entries(definition)) {
    // Message and enum types carry a `format` string; a service is a record of methods.
    if (typeof (def as { format?: unknown }).format === 'string') continue;
    const names: string[] = [];
    for (const [methodName, m] of Object.entries(def as Record<string, PackageMethod>)) {
      const name = `${serviceName}/${methodName}`;
      names.push(methodName);
      methods.set(name, {
        name,
        path: m.path,
        requestStream: m.requestStream,
        responseStream: m.responseStream,
        serialize: m.requestSerialize,
        deserialize: m.responseDeserialize,
      });
    }
    services.set(serviceName, names);
  }
  return { methods, services };
}

interface PackageMethod {
  path: string;
  requestStream: boolean;
  responseStream: boolean;
  requestSerialize: (message: object) => Buffer;
  responseDeserialize: (bytes: Buffer) => object;
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * Why `method` is no method of the set, in one line that lists what there is: the service's
 * methods, or the services when the service itself is unknown.
 */
export function unknownMethodProblem(set: ProtoSet, method: string, className: string): string {
  const slash = method.lastIndexOf('/');
  if (slash <= 0) return `${className}: "${method}" is not a gRPC method: write 'package.Service/Method' (${[...set.methods.keys()][0] ?? ''})`;
  const service = method.slice(0, slash);
  const methods = set.services.get(service);
  if (methods !== undefined) return `${className}: no method ${method} in the protos: ${service} has ${methods.join(', ')}`;
  return `${className}: no method ${method} in the protos: no service ${service}; the services are ${[...set.services.keys()].join(', ')}`;
}

/** A GrpcUser class's protos (its `static proto`, loaded once per process), or its problem in one line naming the class. */
export function protosOfClass(cls: { name: string; proto?: unknown }): ProtoSet | string {
  const spec = protoSpecOf(cls);
  if (typeof spec === 'string') return spec;
  const set = loadProtoSet(spec);
  return typeof set === 'string' ? `${cls.name}.proto: ${set}` : set;
}
