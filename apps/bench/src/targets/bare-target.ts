import { PITAYA_ROUTES } from '../servers/bench-routes';
import { startScript } from './node-server';
import type { RunningTarget, StartOptions, TargetContext, TargetDefinition } from './target';

/** The ceiling: {@link BareServer} (`ws` + `net`, no framework). */
export const bareTarget: TargetDefinition = {
  id: 'bare',
  label: 'bare ws/net',
  description: 'minimal servers written directly on `ws` and `net`: frame and answer the same packets, nothing else',
  unavailable: () => undefined,
  async start(ctx: TargetContext, options?: StartOptions): Promise<RunningTarget> {
    const { process: p, ready } = await startScript(ctx, { label: 'bare server', script: 'bare-main.js', listens: true, nodeArgs: options?.nodeArgs });
    return { pid: ready.pid, wsPort: ready.ws, tcpPort: ready.tcp, routes: PITAYA_ROUTES, stop: (grace) => ctx.registry.stop(p, grace) };
  },
};
