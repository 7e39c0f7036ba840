import { randomUUID } from 'node:crypto';
import { compareCodePoints, goJsonStringify } from '@pitaya-ts/protocol';

/**
 * A server of the cluster, as Pitaya's `cluster.Server` (pitaya-spec §5.1). Registered in etcd as JSON under
 * `<prefix>servers/<type>/<id>`; `metadata` advertises e.g. `grpcHost`/`grpcPort`.
 */
export interface ServerInfo {
  readonly id: string;
  readonly type: string;
  readonly metadata: Readonly<Record<string, string>>;
  readonly frontend: boolean;
  readonly hostname: string;
}

/**
 * The server's JSON exactly as Go's `json.Marshal(server)`: fields `id,type,metadata,frontend,hostname`,
 * metadata keys sorted, Go's HTML escaping. A Go server compares nothing byte-wise, but identical bytes
 * keep etcd values stable across implementations and make interop diffs trivial.
 */
export function encodeServerInfo(server: ServerInfo): string {
  const metadata = Object.keys(server.metadata)
    .sort(compareCodePoints)
    .map((k) => `${goJsonStringify(k)}:${goJsonStringify(server.metadata[k] ?? '')}`)
    .join(',');
  return (
    `{"id":${goJsonStringify(server.id)},"type":${goJsonStringify(server.type)},"metadata":{${metadata}},` +
    `"frontend":${server.frontend ? 'true' : 'false'},"hostname":${goJsonStringify(server.hostname)}}`
  );
}

function fieldError(field: string, expected: string, value: unknown): Error {
  const got = value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
  return new Error(`invalid server info: "${field}" must be ${expected}, got ${got}`);
}

/**
 * Parses a server JSON written by Go or by {@link encodeServerInfo}. `id` and `type` are required non-empty
 * strings; `metadata` (object of strings, `null` as in a Go nil map), `frontend` and `hostname` default like
 * Go's zero values when absent; unknown fields are ignored. Throws a descriptive error otherwise.
 */
export function parseServerInfo(json: string | Uint8Array): ServerInfo {
  const text = typeof json === 'string' ? json : Buffer.from(json.buffer, json.byteOffset, json.byteLength).toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new Error(`invalid server info: not JSON (${(e as Error).message})`, { cause: e });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw fieldError('(root)', 'an object', value);
  const o = value as Record<string, unknown>;
  for (const field of ['id', 'type'] as const) {
    if (typeof o[field] !== 'string' || o[field] === '') throw fieldError(field, 'a non-empty string', o[field]);
  }
  const metadata: Record<string, string> = {};
  if (o.metadata !== undefined && o.metadata !== null) {
    if (typeof o.metadata !== 'object' || Array.isArray(o.metadata)) throw fieldError('metadata', 'an object', o.metadata);
    for (const [k, v] of Object.entries(o.metadata)) {
      if (typeof v !== 'string') throw fieldError(`metadata.${k}`, 'a string', v);
      // defineProperty: a "__proto__" key from the wire must stay data, never a prototype.
      Object.defineProperty(metadata, k, { value: v, enumerable: true, writable: true, configurable: true });
    }
  }
  if (o.frontend !== undefined && typeof o.frontend !== 'boolean') throw fieldError('frontend', 'a boolean', o.frontend);
  if (o.hostname !== undefined && typeof o.hostname !== 'string') throw fieldError('hostname', 'a string', o.hostname);
  return {
    id: o.id as string,
    type: o.type as string,
    metadata,
    frontend: o.frontend === true,
    hostname: (o.hostname as string | undefined) ?? '',
  };
}

/** Throws unless `id` can be an etcd key segment: non-empty and without `/`. */
export function validateServerId(id: string): void {
  if (typeof id !== 'string' || id === '') throw new Error('server id must be a non-empty string');
  if (id.includes('/')) throw new Error(`server id "${id}" must not contain "/" (it is an etcd key segment)`);
}

/** Throws unless `type` is non-empty, has no `/` (etcd key segment) and no `.` (route separator). */
export function validateServerType(type: string): void {
  if (typeof type !== 'string' || type === '') throw new Error('server type must be a non-empty string');
  if (type.includes('/')) throw new Error(`server type "${type}" must not contain "/" (it is an etcd key segment)`);
  if (type.includes('.')) throw new Error(`server type "${type}" must not contain "." (it is the route separator)`);
}

/** A new random server id (UUID v4), as Pitaya gives every process. */
export function newServerId(): string {
  return randomUUID();
}
