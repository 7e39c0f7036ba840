import { PITAYA_ROUTES } from '../servers/bench-routes';
import { startScript } from './node-server';
import type { RunningTarget, StartOptions, TargetContext, TargetDefinition } from './target';

/** What every measured pitaya-ts row runs with: nothing of the framework is switched off (issue 14). */
export const PITAYA_ROW_CONFIG =
  'Pitaya defaults: per-session ordering, backpressure, limits, pipelines and error handling on; compression on from 256 B (`compressionMinBytes`, the default); JSON; observability off';

function pitayaTarget(compression: boolean): TargetDefinition {
  return {
    id: compression ? 'pitaya' : 'pitaya-uncompressed',
    label: compression ? 'pitaya-ts' : 'pitaya-ts, compression off',
    description: compression
      ? `standalone frontend, \`@Handler\` + DI, ws + tcp acceptors, logs at error. ${PITAYA_ROW_CONFIG}`
      : 'the same app with `handler.messages.compression: false`, for the echo 1 KB comparison row only',
    unavailable: () => undefined,
    async start(ctx: TargetContext, options?: StartOptions): Promise<RunningTarget> {
      const { process: p, ready } = await startScript(ctx, {
        label: this.label,
        script: 'pitaya-standalone.js',
        listens: true,
        env: compression ? {} : { BENCH_COMPRESSION: '0' },
        nodeArgs: options?.nodeArgs,
      });
      return { pid: ready.pid, wsPort: ready.ws, tcpPort: ready.tcp, routes: PITAYA_ROUTES, stop: (grace) => ctx.registry.stop(p, grace) };
    },
  };
}

/** pitaya-ts standalone with Pitaya's defaults (the headline). */
export const pitayaStandaloneTarget = pitayaTarget(true);
/** pitaya-ts standalone with compression off (one echo-1KB comparison row). */
export const pitayaUncompressedTarget = pitayaTarget(false);
