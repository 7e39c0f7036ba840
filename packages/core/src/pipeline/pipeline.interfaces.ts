import type { Context } from '../context/context';

/** What a route produced: a result, or an error. After-pipelines may replace either. */
export interface Outcome {
  readonly result?: unknown;
  readonly error?: unknown;
}

/** Runs before the handler: returns the body to pass on (possibly transformed); throwing stops the chain and answers the error. */
export interface BeforePipeline {
  before(ctx: Context, body: unknown): unknown | Promise<unknown>;
}

/** Runs after the handler, even when it failed; every after-pipeline runs and sees the previous one's outcome. */
export interface AfterPipeline {
  after(ctx: Context, outcome: Outcome): Outcome | Promise<Outcome>;
}

export function isBeforePipeline(value: unknown): value is BeforePipeline {
  return typeof (value as BeforePipeline | null)?.before === 'function';
}

export function isAfterPipeline(value: unknown): value is AfterPipeline {
  return typeof (value as AfterPipeline | null)?.after === 'function';
}
