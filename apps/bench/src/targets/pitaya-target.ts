import { PITAYA_ROUTES } from '../servers/bench-routes';
import { startScript } from './node-server';
import type { RunningTarget, StartOptions, TargetContext, TargetDefinition } from './target';

function pitayaTarget(compression: boolean): TargetDefinition {
  return {
    id: compression ? 'pitaya-compressed' : 'pitaya',
    label: compression ? 'pitaya-ts, compression on' : 'pitaya-ts',
    description: compression
      ? 'the same app with `handler.messages.compression` on (Pitaya\'s default): zlib on payloads ≥ 256 B when it shrinks them'
      : 'standalone frontend, `@Handler` + DI, JSON serializer, ws + tcp acceptors, compression off, logs at error',
    unavailable: () => undefined,
    async start(ctx: TargetContext, options?: StartOptions): Promise<RunningTarget> {
      const { process: p, ready } = await startScript(ctx, {
        label: this.label,
        script: 'pitaya-standalone.js',
        listens: true,
        env: { BENCH_COMPRESSION: compression ? '1' : '0' },
        nodeArgs: options?.nodeArgs,
      });
      return { pid: ready.pid, wsPort: ready.ws, tcpPort: ready.tcp, routes: PITAYA_ROUTES, stop: (grace) => ctx.registry.stop(p, grace) };
    },
  };
}

/** pitaya-ts standalone, compression off (the headline). */
export const pitayaStandaloneTarget = pitayaTarget(false);
/** pitaya-ts standalone with compression on (one echo-1KB row). */
export const pitayaCompressedTarget = pitayaTarget(true);
