/**
 * The server the fuzz and soak drivers attack: a standalone frontend (TCP + WebSocket) with a join
 * that binds a uid and an echo, run in its own process so its RSS, heap and fds are its own. Run
 * with `--expose-gc`; it answers `{ stats: true }` IPC messages with its figures after a full GC.
 */
import * as fs from 'node:fs';
import * as v8 from 'node:v8';
import { parseArgs } from 'node:util';
import { Context, createLogger, Handler, Module, Pitaya, Route, tcp, ws } from '@pitaya-ts/core';

@Handler('room')
class RoomHandler {
  @Route()
  async join(ctx: Context, body: { uid?: unknown }): Promise<unknown> {
    if (ctx.session.uid === undefined) await ctx.session.bind(String((body as { uid?: unknown } | null)?.uid ?? ctx.session.id));
    return { ok: true };
  }
  @Route()
  echo(_ctx: Context, body: unknown): unknown {
    return body;
  }
}

@Module({ handlers: [RoomHandler] })
class StressModule {}

/** Figures a driver asks for. */
export interface ServerStats {
  readonly rss: number;
  readonly heapUsed: number;
  readonly fds: number;
  readonly sessions: number;
  readonly bound: number;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { heartbeat: { type: 'string', default: '30s' }, handshakeTimeout: { type: 'string', default: '5s' } } });
  const app = await Pitaya.create(StressModule, {
    serverType: 'connector',
    acceptors: [tcp({ port: 0, host: '127.0.0.1' }), ws({ port: 0, host: '127.0.0.1' })],
    logger: createLogger({ level: process.env.PITAYA_LOG_LEVEL ?? 'silent' }),
    config: { heartbeat: { interval: values.heartbeat! }, conn: { handshakeTimeout: values.handshakeTimeout! } },
  });
  await app.start();
  const gc = (globalThis as { gc?: () => void }).gc;
  process.on('message', (message: { stats?: boolean; snapshot?: string }) => {
    if (message.snapshot) {
      gc?.();
      process.send?.({ snapshot: v8.writeHeapSnapshot(message.snapshot) });
      return;
    }
    if (!message.stats) return;
    gc?.();
    gc?.();
    const memory = process.memoryUsage();
    const stats: ServerStats = {
      rss: memory.rss, heapUsed: memory.heapUsed, fds: fs.readdirSync('/proc/self/fd').length,
      sessions: app.sessions.count, bound: app.sessions.boundCount,
    };
    process.send?.({ stats });
  });
  process.on('disconnect', () => void app.close().then(() => process.exit(0)));
  process.send?.({ ready: { tcp: app.listening[0]!.port, ws: app.listening[1]!.port } });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
