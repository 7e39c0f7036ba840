import { createLogger, Pitaya, ws, type ModuleImport, type PitayaApplication } from '@pitaya-ts/core';

/**
 * Starts pitaya-ts applications in the test process (a frontend gets a WebSocket acceptor on a free loopback
 * port) and closes them in reverse order. Logs are silent unless TEST_LOG_LEVEL says otherwise; the machine's
 * PITAYA_* variables are ignored.
 */
export class InProcessApps {
  private readonly apps: PitayaApplication[] = [];

  async start(root: ModuleImport, serverType: string, frontend: boolean): Promise<PitayaApplication> {
    const app = await Pitaya.create(root, {
      serverType,
      frontend,
      acceptors: frontend ? [ws({ port: 0, host: '127.0.0.1' })] : [],
      logger: createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
      env: {},
    });
    await app.start();
    this.apps.push(app);
    return app;
  }

  async closeAll(): Promise<void> {
    for (const app of this.apps.splice(0).reverse()) await app.close();
  }
}
