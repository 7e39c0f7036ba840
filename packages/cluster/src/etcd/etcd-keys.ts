/** Pitaya's default etcd key prefix (`pitaya.*.etcd.prefix`). */
export const DEFAULT_ETCD_PREFIX = 'pitaya/';

/**
 * Keys under the namespace prefix, as Pitaya's Go `namespace.NewKV` builds them: `<prefix><rest>` with
 * the prefix used verbatim (no separator added). Relative keys below are what `client.namespace(prefix)`
 * sees.
 */
export const EtcdKeys = {
  /** Prefix of every server registration. */
  serversPrefix: 'servers/',
  /** `servers/<type>/<id>` → server JSON. */
  server: (type: string, id: string): string => `servers/${type}/${id}`,
  /** `bindings/<frontendType>/<uid>` → frontend server id. */
  binding: (frontendType: string, uid: string): string => `bindings/${frontendType}/${uid}`,
  /** `groups/<name>` → `""`. */
  group: (name: string): string => `groups/${name}`,
  /** `groups/<name>/uids/` (prefix of the members). */
  groupMembersPrefix: (name: string): string => `groups/${name}/uids/`,
  /** `groups/<name>/uids/<uid>` → `""`. */
  groupMember: (name: string, uid: string): string => `groups/${name}/uids/${uid}`,
} as const;

/**
 * Splits a relative server key `servers/<type>/<id>`; `undefined` unless it has exactly those three
 * non-empty parts (Pitaya's `parseEtcdKey` rule: ids and types cannot contain `/`).
 */
export function parseServerKey(key: string): { type: string; id: string } | undefined {
  const parts = key.split('/');
  if (parts.length !== 3 || parts[0] !== 'servers' || !parts[1] || !parts[2]) return undefined;
  return { type: parts[1], id: parts[2] };
}

/** Throws unless `value` can be one etcd key segment (non-empty, no `/`). */
export function assertKeySegment(what: string, value: string): void {
  if (typeof value !== 'string' || value === '') throw new Error(`${what} must be a non-empty string`);
  if (value.includes('/')) throw new Error(`${what} "${value}" must not contain "/"`);
}
