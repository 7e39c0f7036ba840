import type { StandardSchemaV1 } from '@pitaya-ts/protocol';
import { badRequest, type PitayaError } from '../errors/pitaya-error';
import type { MetricsReporter } from '../metrics/metrics-reporter';

/** Longest failure message sent to a client: library messages are short, but never unbounded. */
const MAX_MESSAGE_CHARS = 200;
const MAX_PATH_CHARS = 120;

/**
 * Prepares the validation of one route's body, once at start-up: the schema's `validate` is looked up
 * here, not per message, and run once on `undefined` so libraries that compile lazily (zod's JIT) pay
 * that cost before the first client does. The returned function gives the schema's output, or throws
 * PIT-400 with the first issue's path and message (never the received value) and counts the refusal.
 */
export function prepareValidator(schema: StandardSchemaV1, metrics: MetricsReporter): (body: unknown) => unknown {
  const validate = schema['~standard'].validate;
  const check = (result: StandardSchemaV1.Result<unknown>): unknown => {
    if (result.issues === undefined) return result.value;
    metrics.refused('validation');
    throw validationError(result.issues);
  };
  try {
    const warm = validate(undefined);
    if (typeof (warm as PromiseLike<unknown>).then === 'function') (warm as Promise<unknown>).catch(() => undefined);
  } catch {
    // A schema that throws on undefined still validates real bodies; this was only a warm-up.
  }
  return (body) => {
    const result = validate(body);
    return typeof (result as PromiseLike<unknown>).then === 'function'
      ? (result as Promise<StandardSchemaV1.Result<unknown>>).then(check)
      : check(result as StandardSchemaV1.Result<unknown>);
  };
}

/** PIT-400 naming the first failing path: `invalid body at content: Invalid input: expected string`. */
export function validationError(issues: readonly StandardSchemaV1.Issue[]): PitayaError {
  const issue = issues[0];
  const path = formatPath(issue?.path);
  const message = truncate(issue?.message ?? 'invalid', MAX_MESSAGE_CHARS);
  return badRequest(path ? `invalid body at ${path}: ${message}` : `invalid body: ${message}`, { path, reason: message });
}

/** `members[0].name`; empty for the body itself. */
export function formatPath(path: StandardSchemaV1.Issue['path']): string {
  if (!path || path.length === 0) return '';
  let out = '';
  for (const segment of path) {
    const key = typeof segment === 'object' && segment !== null ? segment.key : segment;
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return truncate(out, MAX_PATH_CHARS);
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
