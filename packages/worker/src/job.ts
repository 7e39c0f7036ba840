/**
 * The job format of go-workers v1.2.1 (Sidekiq-compatible), which Go Pitaya's worker uses
 * (`pitaya:pkg/worker`). A job is one JSON object:
 *
 * ```json
 * {"queue":"rpc","class":"","args":{"Route":"…","Metadata":{…},"Arg":{…},"Reply":{…}},
 *  "jid":"<24 hex>","enqueued_at":<float s>,"retry":true,"retry_max":2,
 *  "retry_options":{"exp":5,"min_delay":10,"max_delay":10,"max_rand":0},"connection_options":{…}}
 * ```
 *
 * Retries add `retry_count`, `error_message`, `failed_at` / `retried_at`, and rewrite `queue`.
 * Everything here is pure (no Redis) so the format is tested byte for byte.
 */
import { randomBytes } from 'node:crypto';

/** Retry policy of a job, as go-workers stores it (`retry_options`, seconds). */
export interface RetryPolicy {
  /** Whether a failed job is retried at all (`retry`). */
  readonly enabled: boolean;
  /** Retries after the first failure (`retry_max`): a job runs at most `max + 2` times, as in go-workers. */
  readonly max: number;
  /** Backoff exponent (`exp`): delay = retryCount^exp + minDelay + rand(maxRandom)·(retryCount+1), capped by maxDelay. */
  readonly exponential: number;
  readonly minDelay: number;
  readonly maxDelay: number;
  readonly maxRandom: number;
}

/** The `args` of an RPC job, with Pitaya's Go field names. */
export interface RpcJobArgs {
  readonly Route: string;
  readonly Metadata: Record<string, unknown> | null;
  readonly Arg: unknown;
  readonly Reply: unknown;
}

/** Pitaya's queue and job class. */
export const RPC_QUEUE = 'rpc';
export const RPC_CLASS = '';

// go-workers embeds its `Options` struct (no json tags) in every job; Go marshals it even when empty.
const CONNECTION_OPTIONS =
  '{"Address":"","Password":"","Database":"","ProcessID":"","Namespace":"","PoolSize":0,"PoolInterval":0,"DialOptions":null}';

/** 12 random bytes as 24 hex characters, like go-workers' `generateJid`. */
export function newJid(): string {
  return randomBytes(12).toString('hex');
}

/** Seconds since the epoch as a float, the unit of `enqueued_at` and of the retry set's scores. */
export function nowSeconds(now: number = Date.now()): number {
  return now / 1000;
}

/**
 * The JSON go-workers' `EnqueueWithOptions` writes, field for field and in Go's order
 * (`retry`/`retry_max` are omitted when false/0, as Go's `omitempty` does). `args` is given as
 * JSON text so the caller decides how the argument is encoded.
 */
export function encodeJob(input: { argsJson: string; jid: string; enqueuedAt: number; retry: RetryPolicy; queue?: string }): string {
  const { retry } = input;
  let json = `{"queue":${JSON.stringify(input.queue ?? RPC_QUEUE)},"class":${JSON.stringify(RPC_CLASS)},"args":${input.argsJson},` +
    `"jid":${JSON.stringify(input.jid)},"enqueued_at":${input.enqueuedAt}`;
  if (retry.enabled) json += ',"retry":true';
  if (retry.max !== 0) json += `,"retry_max":${retry.max}`;
  json += `,"retry_options":{"exp":${retry.exponential},"min_delay":${retry.minDelay},"max_delay":${retry.maxDelay},"max_rand":${retry.maxRandom}}`;
  json += `,"connection_options":${CONNECTION_OPTIONS}}`;
  return json;
}

/**
 * `args` of an RPC job as JSON text. `Arg` is JSON already (what Go's `encoding/json` makes of the
 * protobuf struct, or the caller's object); `Reply` is an empty object, which is what Go writes
 * for a fresh reply message.
 */
export function encodeRpcArgs(route: string, metadata: Record<string, unknown> | undefined, argJson: string): string {
  return `{"Route":${JSON.stringify(route)},"Metadata":${metadata === undefined ? 'null' : JSON.stringify(metadata)},"Arg":${argJson},"Reply":{}}`;
}

/**
 * A job read from Redis. The original text is kept: it is how go-workers acknowledges a job
 * (`LREM` of the exact string), and a rewritten job keeps `args` byte for byte, so integers
 * beyond 2^53 in arguments survive retries.
 */
export class Job {
  private constructor(
    readonly original: string,
    private readonly fields: Map<string, string>,
    private readonly parsed: Record<string, unknown>,
  ) {}

  /** Parses a job; `undefined` when the text is not a JSON object (a poisoned job). */
  static parse(text: string): Job | undefined {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return undefined;
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
    const fields = topLevelFields(text);
    if (!fields) return undefined;
    return new Job(text, fields, parsed as Record<string, unknown>);
  }

  get jid(): string {
    return typeof this.parsed.jid === 'string' ? this.parsed.jid : '';
  }

  get queue(): string {
    return typeof this.parsed.queue === 'string' ? this.parsed.queue : '';
  }

  get retryCount(): number | undefined {
    const n = this.parsed.retry_count;
    return typeof n === 'number' && Number.isInteger(n) ? n : undefined;
  }

  /** The raw JSON text of a top-level field (e.g. `args`), or undefined. */
  raw(field: string): string | undefined {
    return this.fields.get(field);
  }

  get(field: string): unknown {
    return this.parsed[field];
  }

  /** Whether go-workers would retry this job now (`retry` true, or an int as in Sidekiq; `retry_count < retry_max`). */
  shouldRetry(): boolean {
    let retry = false;
    let max = DEFAULT_MAX_RETRY;
    const flag = this.parsed.retry;
    if (typeof flag === 'boolean') retry = flag;
    else if (typeof flag === 'number' && Number.isInteger(flag)) {
      max = flag;
      retry = true;
    }
    const retryMax = this.parsed.retry_max;
    if (typeof retryMax === 'number' && Number.isInteger(retryMax)) max = retryMax;
    return retry && (this.retryCount ?? 0) < max;
  }

  /**
   * The job after a failed attempt, as go-workers' retry middleware writes it: `queue`,
   * `error_message`, then `failed_at` and `retry_count` 0 on the first failure, `retried_at` and
   * `retry_count + 1` later. Returns the new JSON and the retry count.
   */
  failed(queueName: string, errorMessage: string, now: Date = new Date()): { json: string; retryCount: number } {
    const previous = this.retryCount;
    const retryCount = previous === undefined ? 0 : previous + 1;
    const updates: [string, unknown][] = [
      ['queue', queueName],
      ['error_message', errorMessage],
      [previous === undefined ? 'failed_at' : 'retried_at', goTime(now)],
      ['retry_count', retryCount],
    ];
    return { json: this.rewrite(updates), retryCount };
  }

  /** The job with a new `enqueued_at`, as the scheduler moves it back to its queue. */
  requeued(now: number = nowSeconds()): string {
    return this.rewrite([['enqueued_at', now]]);
  }

  /** Seconds to wait before the retry number `retryCount`, from the job's own `retry_options`. */
  retryDelaySeconds(retryCount: number, random: (n: number) => number = (n) => Math.floor(Math.random() * n)): number {
    const options = this.parsed.retry_options;
    const read = (key: string, fallback: number): number => {
      const v = options !== null && typeof options === 'object' ? (options as Record<string, unknown>)[key] : undefined;
      return typeof v === 'number' && Number.isFinite(v) ? v : fallback;
    };
    // go-workers' defaults when a job carries no retry_options.
    const exp = read('exp', 4);
    const minDelay = read('min_delay', 15);
    const maxDelay = read('max_delay', Number.POSITIVE_INFINITY);
    const maxRand = read('max_rand', 30);
    const randN = maxRand > 0 ? random(Math.trunc(maxRand)) : 0;
    return Math.trunc(Math.min(Math.pow(retryCount, exp) + minDelay + randN * (retryCount + 1), maxDelay));
  }

  private rewrite(updates: readonly [string, unknown][]): string {
    const out = new Map(this.fields);
    for (const [key, value] of updates) out.set(key, JSON.stringify(value));
    let json = '{';
    let first = true;
    for (const [key, value] of out) {
      json += `${first ? '' : ','}${JSON.stringify(key)}:${value}`;
      first = false;
    }
    return `${json}}`;
  }
}

/** go-workers' `DEFAULT_MAX_RETRY`. */
const DEFAULT_MAX_RETRY = 25;

/** Go's `"2006-01-02 15:04:05 MST"` layout in UTC, as go-workers stamps `failed_at`. */
export function goTime(date: Date): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${date.getUTCFullYear()}-${p(date.getUTCMonth() + 1)}-${p(date.getUTCDate())} ${p(date.getUTCHours())}:${p(date.getUTCMinutes())}:${p(date.getUTCSeconds())} UTC`;
}

/** The raw JSON text of one top-level field of a JSON object's text (valid JSON assumed). */
export function rawField(json: string, key: string): string | undefined {
  return topLevelFields(json)?.get(key);
}

/**
 * Splits a JSON object's text into its top-level keys and raw value texts, without re-encoding
 * the values. Assumes valid JSON (checked by `JSON.parse` first). Duplicate keys keep the last.
 */
function topLevelFields(text: string): Map<string, string> | undefined {
  const fields = new Map<string, string>();
  let i = skipSpace(text, 0);
  if (text[i] !== '{') return undefined;
  i = skipSpace(text, i + 1);
  if (text[i] === '}') return fields;
  for (;;) {
    const keyEnd = endOfString(text, i);
    const key = JSON.parse(text.slice(i, keyEnd)) as string;
    i = skipSpace(text, keyEnd);
    if (text[i] !== ':') return undefined;
    const start = skipSpace(text, i + 1);
    const end = endOfValue(text, start);
    fields.set(key, text.slice(start, end));
    i = skipSpace(text, end);
    if (text[i] === ',') {
      i = skipSpace(text, i + 1);
      continue;
    }
    return text[i] === '}' ? fields : undefined;
  }
}

function skipSpace(text: string, i: number): number {
  while (i < text.length && (text[i] === ' ' || text[i] === '\n' || text[i] === '\r' || text[i] === '\t')) i++;
  return i;
}

function endOfString(text: string, i: number): number {
  for (let j = i + 1; j < text.length; j++) {
    if (text[j] === '\\') j++;
    else if (text[j] === '"') return j + 1;
  }
  return text.length;
}

function endOfValue(text: string, i: number): number {
  const c = text[i];
  if (c === '"') return endOfString(text, i);
  if (c === '{' || c === '[') {
    let depth = 0;
    for (let j = i; j < text.length; j++) {
      const d = text[j];
      if (d === '"') j = endOfString(text, j) - 1;
      else if (d === '{' || d === '[') depth++;
      else if (d === '}' || d === ']') {
        depth--;
        if (depth === 0) return j + 1;
      }
    }
    return text.length;
  }
  let j = i;
  while (j < text.length && text[j] !== ',' && text[j] !== '}' && text[j] !== ' ' && text[j] !== '\n' && text[j] !== '\r' && text[j] !== '\t') j++;
  return j;
}
