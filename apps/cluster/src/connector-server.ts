import * as path from 'node:path';
import { Module, Pitaya, tcp, ws } from '@pitaya-ts/core';
import { createWebServer } from '@pitaya-ts/chat';
import { clusterModule, observabilityModule } from './cluster-options';
import { Presence } from './presence';

function port(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 0 || value > 65535) throw new Error(`${name}=${process.env[name]} is not a port number`);
  return value;
}

/** The connector: holds client connections (WS 3250, TCP 3252) and the page (HTTP 3251); forwards `room.*` to the room backend. */
@Module({ imports: [clusterModule(), observabilityModule()], providers: [Presence] })
class ConnectorModule {}

async function main(): Promise<void> {
  const host = process.env.CHAT_HOST ?? '0.0.0.0';
  const app = await Pitaya.create(ConnectorModule, {
    serverType: 'connector',
    acceptors: [ws({ port: port('CHAT_WS_PORT', 3250), host }), tcp({ port: port('CHAT_TCP_PORT', 3252), host })],
  });
  app.enableShutdownHooks();
  await app.start();
  const webRoot = path.join(path.dirname(require.resolve('@pitaya-ts/chat/package.json')), 'dist', 'web');
  const web = createWebServer(webRoot, { wsPort: app.listening[0]!.port, serverType: 'room' });
  await new Promise<void>((resolve, reject) => web.once('error', reject).listen(port('CHAT_HTTP_PORT', 3251), host, resolve));
  app.log.info(`chat (cluster) ready: open http://localhost:${(web.address() as { port: number }).port}/`);
  process.once('SIGTERM', () => web.close());
  process.once('SIGINT', () => web.close());
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
