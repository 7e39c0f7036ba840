import { gunzipSync } from 'node:zlib';
import * as protobuf from 'protobufjs';

/** What the REPL needs to talk to a server: bodies in, replies and pushes out, errors. */
export interface PayloadCodec {
  readonly name: 'json' | 'protobuf';
  encodeRequest(route: string, body: unknown): Uint8Array | undefined;
  decodeReply(route: string, data: Uint8Array): unknown;
  decodePush(route: string, data: Uint8Array): unknown;
  decodeError(data: Uint8Array): { code: string; msg: string; metadata: Record<string, string> } | undefined;
}

/** JSON, as the client's default encoding does it, but from raw bytes. */
export const JSON_CODEC: PayloadCodec = {
  name: 'json',
  encodeRequest: (_route, body) => (body === undefined ? undefined : Buffer.from(JSON.stringify(body))),
  decodeReply: (_route, data) => decodeJson(data),
  decodePush: (_route, data) => decodeJson(data),
  decodeError: (data) => {
    const value = decodeJson(data) as { code?: unknown; msg?: unknown; metadata?: Record<string, string> } | undefined;
    return typeof value?.code === 'string' ? { code: value.code, msg: String(value.msg ?? ''), metadata: value.metadata ?? {} } : undefined;
  },
};

function decodeJson(data: Uint8Array): unknown {
  if (data.length === 0) return null;
  try {
    return JSON.parse(Buffer.from(data).toString('utf8'));
  } catch {
    return data.slice();
  }
}

// Pitaya's protos.Doc, ProtoNames, ProtoDescriptors and Error, for talking to the docs routes.
const PROTOS = new protobuf.Root().define('protos');
const DOC = new protobuf.Type('Doc').add(new protobuf.Field('doc', 1, 'string'));
const NAMES = new protobuf.Type('ProtoNames').add(new protobuf.Field('name', 1, 'string', 'repeated'));
const DESCRIPTORS = new protobuf.Type('ProtoDescriptors').add(new protobuf.Field('desc', 1, 'bytes', 'repeated'));
const ERROR = new protobuf.Type('Error')
  .add(new protobuf.Field('code', 1, 'string'))
  .add(new protobuf.Field('msg', 2, 'string'))
  .add(new protobuf.MapField('metadata', 3, 'string', 'string'));
PROTOS.add(DOC).add(NAMES).add(DESCRIPTORS).add(ERROR);

const TO_OBJECT: protobuf.IConversionOptions = { longs: String, enums: String, bytes: String, defaults: true, arrays: true, objects: true };
/** Most message types asked for in one descriptors request. */
const MAX_TYPES = 64;

type Request = (route: string, body: Uint8Array) => Promise<Uint8Array>;

/**
 * The protobuf side of pitaya-cli: the route types come from the docs route (`{"*pkg.Type": …}`
 * inputs and outputs), their definitions from the descriptors route, and pushes are declared with
 * `push <route> <type>`. Requests are typed JSON converted with protobufjs; replies and pushes are
 * printed as JSON.
 */
export class ProtobufCodec implements PayloadCodec {
  readonly name = 'protobuf';
  private readonly pushTypes = new Map<string, protobuf.Type>();

  private constructor(
    private readonly root: protobuf.Root,
    private readonly routeTypes: ReadonlyMap<string, { input?: string; output?: string }>,
    /** Routes the server listed, for completion. */
    readonly routes: readonly string[],
  ) {}

  /** Reads the route table and the descriptors of its types through the docs routes. */
  static async load(request: Request, docsRoute: string): Promise<ProtobufCodec> {
    const docReply = await request(docsRoute, new Uint8Array(0));
    const doc = JSON.parse((DOC.decode(docReply) as unknown as { doc: string }).doc) as { handlers?: Record<string, { input?: unknown; output?: unknown[] }> };
    const routeTypes = new Map<string, { input?: string; output?: string }>();
    const names = new Set<string>();
    for (const [route, entry] of Object.entries(doc.handlers ?? {})) {
      const input = pointerName(entry.input);
      const output = pointerName(entry.output?.[0]);
      routeTypes.set(route, { input, output });
      if (input) names.add(input);
      if (output) names.add(output);
    }
    const root = new protobuf.Root();
    if (names.size > 0) {
      const protosRoute = docsRoute.replace(/[^.]+$/, 'protos');
      const all = [...names];
      const files: unknown[] = [];
      for (let i = 0; i < all.length; i += MAX_TYPES) {
        const reply = await request(protosRoute, NAMES.encode({ name: all.slice(i, i + MAX_TYPES) }).finish());
        const { desc } = DESCRIPTORS.decode(reply) as unknown as { desc: Uint8Array[] };
        files.push(...desc.map((d) => descriptorModule().FileDescriptorProto.decode(gunzipSync(d))));
      }
      const seen = new Set<string>();
      const unique = files.filter((f) => {
        const key = (f as { name?: string }).name ?? '';
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
      const fromDescriptor = (protobuf.Root as unknown as { fromDescriptor(set: unknown): protobuf.Root }).fromDescriptor;
      const loaded = fromDescriptor(descriptorModule().FileDescriptorSet.create({ file: unique } as never));
      return new ProtobufCodec(loaded, routeTypes, [...routeTypes.keys()].sort());
    }
    return new ProtobufCodec(root, routeTypes, [...routeTypes.keys()].sort());
  }

  /** `push <route> <type>`: how to decode pushes on `route`. Throws when the type is unknown. */
  declarePush(route: string, typeName: string): void {
    this.pushTypes.set(route, this.type(typeName));
  }

  encodeRequest(route: string, body: unknown): Uint8Array | undefined {
    const typeName = this.typesOf(route).input;
    if (!typeName) {
      if (body === undefined) return undefined;
      throw new Error(`the server lists no protobuf type for the body of ${route}`);
    }
    const type = this.type(typeName);
    const problem = type.verify((body ?? {}) as Record<string, unknown>);
    const message = type.fromObject((body ?? {}) as Record<string, unknown>);
    if (problem && Object.keys(type.toObject(message)).length === 0) throw new Error(`not a ${typeName}: ${problem}`);
    return type.encode(message).finish();
  }

  decodeReply(route: string, data: Uint8Array): unknown {
    const typeName = this.typesOf(route).output;
    return typeName ? this.decodeAs(this.type(typeName), data) : data.slice();
  }

  decodePush(route: string, data: Uint8Array): unknown {
    const type = this.pushTypes.get(route);
    return type ? this.decodeAs(type, data) : data.slice();
  }

  decodeError(data: Uint8Array): { code: string; msg: string; metadata: Record<string, string> } | undefined {
    try {
      const e = ERROR.toObject(ERROR.decode(data), TO_OBJECT) as { code: string; msg: string; metadata: Record<string, string> };
      return e.code ? e : undefined;
    } catch {
      return undefined;
    }
  }

  private typesOf(route: string): { input?: string; output?: string } {
    // Two-part routes get the frontend's type on the server: accept them when unambiguous.
    const direct = this.routeTypes.get(route);
    if (direct) return direct;
    const matches = [...this.routeTypes.entries()].filter(([r]) => r.endsWith(`.${route}`));
    return matches.length === 1 ? matches[0]![1] : {};
  }

  private type(name: string): protobuf.Type {
    try {
      return this.root.lookupType(name.replace(/^types\./, 'google.protobuf.'));
    } catch {
      throw new Error(`unknown protobuf type ${name}`);
    }
  }

  private decodeAs(type: protobuf.Type, data: Uint8Array): unknown {
    try {
      return type.toObject(type.decode(data), TO_OBJECT);
    } catch {
      return data.slice();
    }
  }
}

/** `"*pkg.Type"` out of Pitaya's doc entry `{ "*pkg.Type": {...} }`. */
function pointerName(doc: unknown): string | undefined {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return undefined;
  const keys = Object.keys(doc);
  return keys.length === 1 && keys[0]!.startsWith('*') ? keys[0]!.slice(1) : undefined;
}

interface DescriptorModule {
  readonly FileDescriptorProto: protobuf.Type;
  readonly FileDescriptorSet: protobuf.Type;
}

/** protobufjs's descriptor extension, loaded on first use (it parses descriptor.proto). */
function descriptorModule(): DescriptorModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('protobufjs/ext/descriptor') as DescriptorModule;
}
