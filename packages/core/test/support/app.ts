import { Pitaya, tcp, ws, createLogger, type ModuleImport, type PitayaApplication, type PitayaOptions } from '@pitaya-ts/core';

/** Starts a standalone frontend with a TCP and a WS acceptor on free ports. */
export async function startApp(root: ModuleImport, options: Partial<PitayaOptions> = {}): Promise<{ app: PitayaApplication; tcpPort: number; wsPort: number }> {
  const app = await Pitaya.create(root, {
    serverType: 'connector',
    acceptors: [tcp({ port: 0, host: '127.0.0.1' }), ws({ port: 0, host: '127.0.0.1' })],
    logger: createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    env: {},
    ...options,
  });
  await app.start();
  return { app, tcpPort: app.listening[0]!.port, wsPort: app.listening[1]!.port };
}
