import * as protobuf from 'protobufjs';
import type { ErrorPayload } from '@pitaya-ts/protocol';
import { badRequest } from '../errors/pitaya-error';
import { assertNoForbiddenKeys } from './safe-json';
import type { Serializer } from './serializer';

/** Pitaya's `protos.Error`, used for error replies whatever the application's own protos. */
const ERROR_TYPE = new protobuf.Type('Error')
  .add(new protobuf.Field('code', 1, 'string'))
  .add(new protobuf.Field('msg', 2, 'string'))
  .add(new protobuf.MapField('metadata', 3, 'string', 'string'));
new protobuf.Root().define('protos').add(ERROR_TYPE);

const TO_OBJECT: protobuf.IConversionOptions = { longs: String, enums: String, defaults: true, arrays: true, objects: true };

/**
 * Protobuf payloads (Pitaya's `serializertype` 2). Message types come from the route metadata
 * (`@Route({ requestType, responseType })`) and are looked up in `root`; a value that is already a
 * protobufjs message encodes with its own type. Decoded bodies are plain objects (64-bit integers as strings).
 */
export class ProtobufSerializer implements Serializer {
  readonly name = 'protobuf';
  readonly requiresTypes = true;
  private readonly types = new Map<string, protobuf.Type>();

  private readonly pushTypes: ReadonlyMap<string, string>;

  /** `pushTypes` maps push routes to message types (`{ onMessage: 'chat.Message' }`) for pushes of plain objects. */
  constructor(/** The loaded definitions (the docs module serves their descriptors). */ readonly root: protobuf.Root, pushTypes: Readonly<Record<string, string>> = {}) {
    this.pushTypes = new Map(Object.entries(pushTypes));
    for (const type of this.pushTypes.values()) this.lookup(type);
  }

  /** Loads `.proto` files synchronously (start-up only). */
  static fromFiles(files: readonly string[], pushTypes?: Readonly<Record<string, string>>): ProtobufSerializer {
    return new ProtobufSerializer(protobuf.loadSync([...files]), pushTypes);
  }

  pushTypeOf(route: string): string | undefined {
    return this.pushTypes.get(route);
  }

  /** Throws unless `name` names a message type in the root; used at start-up to check route metadata. */
  lookup(name: string): protobuf.Type {
    let type = this.types.get(name);
    if (!type) {
      type = this.root.lookupType(name);
      this.types.set(name, type);
    }
    return type;
  }

  encode(value: unknown, type?: string): Uint8Array {
    const own = (value as { $type?: unknown } | null)?.$type;
    if (own instanceof protobuf.Type) return own.encode(value as protobuf.Message).finish();
    if (!type) {
      throw new TypeError('protobuf: convert on wrong type value (no message type declared: pass a protobufjs message, or declare the route\'s type)');
    }
    const messageType = this.lookup(type);
    const problem = messageType.verify(value as Record<string, unknown>);
    if (problem) throw new TypeError(`protobuf: ${type}: ${problem}`);
    return messageType.encode(messageType.fromObject(value as Record<string, unknown>)).finish();
  }

  decode(data: Uint8Array, type?: string): unknown {
    if (!type) throw badRequest('protobuf: this route declares no request type');
    const messageType = this.lookup(type);
    let message: protobuf.Message;
    try {
      message = messageType.decode(data);
    } catch (error) {
      throw badRequest(`protobuf: cannot parse ${type}: ${(error as Error).message}`);
    }
    const object = messageType.toObject(message, TO_OBJECT);
    assertNoForbiddenKeys(object);
    return object;
  }

  encodeError(error: ErrorPayload): Uint8Array {
    return ERROR_TYPE.encode(ERROR_TYPE.fromObject({ code: error.code, msg: error.msg ?? '', metadata: error.metadata ?? {} })).finish();
  }
}
