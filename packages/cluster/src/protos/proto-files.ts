import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import * as protobuf from 'protobufjs';

/** Environment variable that points at the directory holding Pitaya's `.proto` files. */
export const PITAYA_PROTO_DIR_ENV = 'PITAYA_PROTO_DIR';

/** The files of Pitaya's `protos` package we load (imports are resolved next to them). */
export const PITAYA_PROTO_FILES: readonly string[] = [
  'pitaya.proto',
  'request.proto',
  'session.proto',
  'msg.proto',
  'response.proto',
  'error.proto',
  'push.proto',
  'bind.proto',
  'kick.proto',
  'doc.proto',
  'docmsg.proto',
  'protodescriptor.proto',
];

/** Where to find the `.proto` files. */
export interface ProtoLocationOptions {
  /** Directory containing `pitaya.proto`. Default: `$PITAYA_PROTO_DIR`, else found by {@link findProtoDir}. */
  readonly protoDir?: string;
}

/**
 * Walks up from `startDir` to the first directory that has `proto/pitaya.proto` and returns that `proto`
 * directory. Walking (instead of a fixed `../..`) lets the same code run from `src` under Jest and from
 * `dist` after `tsc -b`. Throws when none is found.
 */
export function findProtoDir(startDir: string = __dirname): string {
  let dir = resolve(startDir);
  for (;;) {
    const candidate = join(dir, 'proto');
    if (existsSync(join(candidate, 'pitaya.proto'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) {
      throw new Error(
        `cannot find proto/pitaya.proto in ${startDir} or any parent directory; ` +
          `set ${PITAYA_PROTO_DIR_ENV} or pass protoDir`,
      );
    }
    dir = parent;
  }
}

/** Resolves the proto directory from the options, the environment, then {@link findProtoDir}. */
export function resolveProtoDir(options: ProtoLocationOptions = {}): string {
  const dir = options.protoDir ?? process.env[PITAYA_PROTO_DIR_ENV] ?? findProtoDir();
  if (!existsSync(join(dir, 'pitaya.proto'))) throw new Error(`${dir} does not contain pitaya.proto`);
  return resolve(dir);
}

const roots = new Map<string, protobuf.Root>();

/**
 * Loads (once per directory, synchronously: this runs at start-up) the protobufjs root with every Pitaya
 * message. Field names are kept as written in the `.proto` (`frontendID`, `userId`).
 */
export function loadPitayaRoot(options: ProtoLocationOptions = {}): protobuf.Root {
  const dir = resolveProtoDir(options);
  let root = roots.get(dir);
  if (root === undefined) {
    root = new protobuf.Root().loadSync(
      PITAYA_PROTO_FILES.map((f) => join(dir, f)),
      { keepCase: true },
    );
    root.resolveAll();
    roots.set(dir, root);
  }
  return root;
}
