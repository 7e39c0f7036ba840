import * as path from 'node:path';
import { configFileFromArgs, Pitaya, tcp, ws } from '@pitaya-ts/core';
import { ChatModule } from './chat.module';
import { createWebServer } from './web-server';

function port(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535) {
    throw new Error(`${name}=${raw} is not a port number (0-65535)`);
  }
  return value;
}

/** Starts the chat: WebSocket clients on 3250, the web page on 3251, TCP clients on 3252. */
export async function main(): Promise<void> {
  const host = process.env.CHAT_HOST ?? '0.0.0.0';
  const wsPort = port('CHAT_WS_PORT', 3250);
  const httpPort = port('CHAT_HTTP_PORT', 3251);
  const tcpPort = port('CHAT_TCP_PORT', 3252);
  const app = await Pitaya.create(ChatModule, {
    serverType: 'chat',
    acceptors: [ws({ port: wsPort, host }), tcp({ port: tcpPort, host })],
    configFile: configFileFromArgs(), // `--config config.yaml`, Pitaya's viper layout
  });
  await app.start();
  const [wsAddress, tcpAddress] = app.listening;
  const web = createWebServer(path.join(__dirname, 'web'), { wsPort: wsAddress!.port });
  await new Promise<void>((resolve, reject) => {
    web.once('error', reject);
    web.listen(httpPort, host, resolve);
  });
  const webPort = (web.address() as { port: number }).port;
  app.log.info(`chat ready: open http://localhost:${webPort}/ (WebSocket ${wsAddress!.port}, TCP ${tcpAddress!.port})`);
  app.enableShutdownHooks();
  const closeWeb = (): void => void web.close();
  process.once('SIGTERM', closeWeb);
  process.once('SIGINT', closeWeb);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
