import { Context, Handler, Route } from '@pitaya-ts/core';

/** What {@link BlockingHandler} has seen; each test file gets its own copy (Jest loads modules per file). */
export const blocking: { release: (() => void) | undefined; handled: number } = { release: undefined, handled: 0 };

/**
 * `svc.block` holds its session until the test calls `blocking.release()` (a slow handler without a
 * sleep); `svc.echo` answers its body. Both count in `blocking.handled`.
 */
@Handler('svc')
export class BlockingHandler {
  @Route()
  async block(): Promise<unknown> {
    blocking.handled++;
    await new Promise<void>((resolve) => (blocking.release = resolve));
    return {};
  }
  @Route()
  echo(_ctx: Context, body: unknown): unknown {
    blocking.handled++;
    return body;
  }
}

/** Lets the held `svc.block` finish; throws if none is held. */
export function releaseBlocked(): void {
  const release = blocking.release;
  if (release === undefined) throw new Error('no svc.block is being held');
  release();
}
