import { gzipSync } from 'node:zlib';
import * as protobuf from 'protobufjs';
import { PROTOBUF_SERIALIZER, SERIALIZER } from '../container/tokens';
import type { Context } from '../context/context';
import { Inject, Optional } from '../decorators/inject.decorators';
import { Module } from '../decorators/module.decorator';
import { Route } from '../decorators/route.decorators';
import { Handler } from '../decorators/service.decorators';
import { RouteTable } from '../dispatch/route-table';
import { badRequest } from '../errors/pitaya-error';
import { parseUntrustedJson } from '../serialize/safe-json';
import type { ProtobufSerializer } from '../serialize/protobuf-serializer';
import type { Serializer } from '../serialize/serializer';
import { generateAsyncApi } from './asyncapi';
import { buildDocumentation, type DocType, type Documentation } from './documentation';

/** Service name of the docs routes, as in Pitaya's examples: `<serverType>.docsHandler.docs`. */
export const DOCS_SERVICE = 'docsHandler';
/** Most descriptors one `protos` request may ask for: the reply is built in memory. */
const MAX_PROTO_NAMES = 64;

// Pitaya's protos.Doc, ProtoNames and ProtoDescriptors (proto/doc.proto, protodescriptor.proto), defined
// here so the protobuf replies work whatever definitions the application loaded.
const PROTOS = new protobuf.Root().define('protos');
const DOC_TYPE = new protobuf.Type('Doc').add(new protobuf.Field('doc', 1, 'string'));
const NAMES_TYPE = new protobuf.Type('ProtoNames').add(new protobuf.Field('name', 1, 'string', 'repeated'));
const DESCRIPTORS_TYPE = new protobuf.Type('ProtoDescriptors').add(new protobuf.Field('desc', 1, 'bytes', 'repeated'));
PROTOS.add(DOC_TYPE).add(NAMES_TYPE).add(DESCRIPTORS_TYPE);

/**
 * The routes Pitaya's tools look for: `docs` returns the route table as `protos.Doc { doc: <Documentation JSON> }`
 * (and `asyncapi` the AsyncAPI 3 document the same way)
 * and `protos` returns gzipped `FileDescriptorProto`s for `protos.ProtoNames` (message or `.proto` file
 * names) when the protobuf serializer is used — the pair pitaya-cli's protobuf mode auto-detects.
 * Replies are encoded here (raw bytes), in the client serializer's format, so the routes need no
 * declared types in the application's own `.proto` files.
 */
@Handler(DOCS_SERVICE)
export class DocsHandler {
  private docJson: string | undefined;
  private asyncApiJson: string | undefined;

  constructor(
    private readonly routes: RouteTable,
    @Inject(SERIALIZER) private readonly serializer: Serializer,
    @Optional() @Inject(PROTOBUF_SERIALIZER) private readonly protobufSerializer?: ProtobufSerializer,
  ) {}

  /** The route table in Pitaya's `Documentation` shape, wrapped in `protos.Doc`. */
  @Route()
  docs(_ctx: Context): Uint8Array {
    // The table never changes once installed, so the document is built on first use only.
    this.docJson ??= JSON.stringify(this.documentation());
    return this.wrapDoc(this.docJson);
  }

  /** The AsyncAPI 3 document of the client protocol ({@link generateAsyncApi}), wrapped in `protos.Doc`. */
  @Route()
  asyncapi(_ctx: Context): Uint8Array {
    this.asyncApiJson ??= JSON.stringify(generateAsyncApi(this.routes));
    return this.wrapDoc(this.asyncApiJson);
  }

  /** Gzipped file descriptors of the named messages or `.proto` files (`protos.ProtoNames` → `protos.ProtoDescriptors`). */
  @Route()
  protos(_ctx: Context, body: Uint8Array): Uint8Array {
    const names = this.decodeNames(body);
    const root = this.protobufSerializer?.root;
    if (!root) throw badRequest('this server uses no protobuf definitions');
    const desc = names.map((name) => descriptorOf(root, name));
    return this.isProtobuf() ? DESCRIPTORS_TYPE.encode({ desc }).finish() : Buffer.from(JSON.stringify({ desc: desc.map((d) => d.toString('base64')) }));
  }

  /** The {@link Documentation} of this server's routes. */
  documentation(): Documentation {
    const lookup = this.protobufSerializer;
    return buildDocumentation(this.routes, lookup ? (name) => fieldsOf(lookup, name) : undefined);
  }

  private wrapDoc(doc: string): Uint8Array {
    return this.isProtobuf() ? DOC_TYPE.encode({ doc }).finish() : Buffer.from(JSON.stringify({ doc }));
  }

  private isProtobuf(): boolean {
    return this.serializer.name === 'protobuf';
  }

  private decodeNames(body: Uint8Array): string[] {
    let names: unknown;
    try {
      names = this.isProtobuf() ? NAMES_TYPE.toObject(NAMES_TYPE.decode(body), { arrays: true }).name : (parseUntrustedJson(Buffer.from(body).toString('utf8')) as { name?: unknown } | null)?.name;
    } catch {
      throw badRequest('expected protos.ProtoNames: { "name": ["package.Message" | "file.proto", ...] }');
    }
    if (!Array.isArray(names) || names.length > MAX_PROTO_NAMES || !names.every((n) => typeof n === 'string')) {
      throw badRequest(`expected protos.ProtoNames with 1 to ${MAX_PROTO_NAMES} names`);
    }
    return names as string[];
  }
}

/** Fields of a protobuf message as Pitaya's doc generator lists them: name → type (`[type]` when repeated). */
function fieldsOf(serializer: ProtobufSerializer, name: string): Record<string, DocType> | undefined {
  let type: protobuf.Type;
  try {
    type = serializer.lookup(name);
  } catch {
    return undefined;
  }
  const fields: Record<string, DocType> = {};
  for (const field of type.fieldsArray) {
    const t = field instanceof protobuf.MapField ? `map[${field.keyType}]${field.type}` : field.type;
    fields[field.name] = field.repeated ? [t] : t;
  }
  return fields;
}

/**
 * The gzipped `FileDescriptorProto` holding a message (by full name) or a file (by `.proto` name).
 * protobufjs groups definitions per package, so the "file" is the message's package.
 */
function descriptorOf(root: protobuf.Root, name: string): Buffer {
  // Loaded on first use only: it parses descriptor.proto and patches protobufjs with toDescriptor().
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const descriptor = require('protobufjs/ext/descriptor') as { FileDescriptorProto: protobuf.Type };
  const set = (root as protobuf.Root & { toDescriptor(syntax: string): { file: { name?: string; package?: string }[] } }).toDescriptor('proto3');
  const lookupName = name.replace(/^types\./, 'google.protobuf.');
  let file = set.file.find((f) => f.name === name || f.name?.endsWith(`/${name}`));
  if (!file) {
    const found = root.lookup(lookupName);
    const pkg = found?.parent?.fullName.replace(/^\./, '');
    if (found) file = set.file.find((f) => (f.package ?? '') === pkg || f.name === found.filename);
  }
  if (!file) throw badRequest(`protobuf definition not found: ${name}`, { name });
  return gzipSync(descriptor.FileDescriptorProto.encode(file as protobuf.Message).finish());
}

/**
 * Opt-in docs routes (import it in your root module): `<serverType>.docsHandler.docs` returns the
 * route table in Pitaya's `Documentation` shape (what `pitaya-ts repl` completes routes from), and
 * `<serverType>.docsHandler.protos` serves protobuf descriptors. Off by default: the route table is
 * an inventory of the server that not every deployment wants to publish.
 */
@Module({ handlers: [DocsHandler] })
export class DocsModule {}
