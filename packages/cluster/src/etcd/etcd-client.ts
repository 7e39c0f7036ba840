import { Etcd3, type IOptions } from 'etcd3';

/** Connection options shared by discovery, binding storage and groups (Pitaya's `*.etcd.*` keys). */
export interface EtcdConnectionOptions {
  /** `host:port` or URLs; a comma-separated string is accepted as in Pitaya's config. Default `localhost:2379`. */
  readonly endpoints?: readonly string[] | string;
  /** Deadline of every unary etcd call, in ms (default 5000, Pitaya's `dialtimeout`). */
  readonly dialTimeoutMs?: number;
  readonly username?: string;
  readonly password?: string;
}

/** Pitaya's default etcd endpoint. */
export const DEFAULT_ETCD_ENDPOINTS: readonly string[] = ['localhost:2379'];
/** Pitaya's default dial timeout (5 s). */
export const DEFAULT_ETCD_DIAL_TIMEOUT_MS = 5000;

/** Splits, trims and drops empty entries; throws when nothing is left. */
export function normalizeEndpoints(endpoints: readonly string[] | string | undefined): string[] {
  const list = (typeof endpoints === 'string' ? endpoints.split(',') : (endpoints ?? DEFAULT_ETCD_ENDPOINTS))
    .map((e) => e.trim())
    .filter((e) => e !== '');
  if (list.length === 0) throw new Error('etcd endpoints must not be empty');
  return list;
}

type FaultHandling = NonNullable<IOptions['faultHandling']>;
type WatchBackoff = NonNullable<FaultHandling['watchBackoff']>;
type HostPolicy = ReturnType<NonNullable<FaultHandling['host']>>;
type PolicyContext = Parameters<Parameters<HostPolicy['execute']>[0]>[0];

// etcd3's default watch backoff grows to 30 s, so after an outage the watch could lag that long behind
// a recovered etcd. Cap it at a few seconds (Pitaya retries its watch every second).
class CappedWatchBackoff implements WatchBackoff {
  constructor(readonly duration: number = 100) {}
  next(): WatchBackoff {
    return new CappedWatchBackoff(Math.min(this.duration * 2, 2000));
  }
}

const neverAborted = new AbortController().signal;
const noSubscription = (): { dispose(): void } => ({ dispose: () => undefined });

// etcd3 guards each host with a circuit breaker that, after 3 failures, refuses every call for 5 s. That
// helps to skip a dead member of a multi-node cluster; with a single endpoint there is nothing to skip to
// and it only delays our recovery by up to 5 s after etcd is back. (etcd3's global retry policy stays.)
function passThroughPolicy(): HostPolicy {
  return {
    _altReturn: undefined as never,
    onSuccess: noSubscription,
    onFailure: noSubscription,
    execute: async <T>(fn: (context: PolicyContext) => PromiseLike<T> | T, signal?: AbortSignal): Promise<T> =>
      fn({ signal: signal ?? neverAborted }),
  };
}

/**
 * Creates an etcd v3 client. `dialTimeoutMs` becomes the deadline of every unary call (etcd3 1.x ignores
 * its own `dialTimeout` option), so no call can hang while etcd is unreachable; the watch reconnects with a
 * backoff capped at 2 s; a single endpoint is not behind a circuit breaker. The caller owns the client and
 * must `close()` it.
 */
export function createEtcdClient(options: EtcdConnectionOptions = {}): Etcd3 {
  const timeoutMs = options.dialTimeoutMs ?? DEFAULT_ETCD_DIAL_TIMEOUT_MS;
  const hasAuth = options.username !== undefined && options.username !== '';
  const hosts = normalizeEndpoints(options.endpoints);
  return new Etcd3({
    hosts,
    dialTimeout: timeoutMs,
    defaultCallOptions: (ctx) => (ctx.isStream ? {} : { deadline: Date.now() + timeoutMs }),
    ...(hasAuth ? { auth: { username: options.username ?? '', password: options.password ?? '' } } : {}),
    faultHandling: {
      watchBackoff: new CappedWatchBackoff(),
      ...(hosts.length === 1 ? { host: passThroughPolicy } : {}),
    },
  });
}
