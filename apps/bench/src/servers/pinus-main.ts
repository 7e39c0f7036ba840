import * as path from 'node:path';
import { writeReady } from './server-env';
import type { PinusModule } from './pinus-types';

/**
 * Entry of the pinus target, run by the orchestrator as the master (no arguments) and by the
 * master as the connector (`serverType=connector …`). The app base (config + handler) is
 * `BENCH_PINUS_BASE`, prepared in the bench's temporary directory. The connector writes the
 * ready file once pinus has started all its components.
 */
function main(): void {
  const base = process.env.BENCH_PINUS_BASE;
  if (!base) throw new Error('BENCH_PINUS_BASE is not set');
  // pinus's template preloads reflect-metadata (its loader calls Reflect.hasMetadata); we take the copy
  // @pitaya-ts/core depends on rather than declaring a dependency of our own.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require(require.resolve('reflect-metadata', { paths: [path.dirname(require.resolve('@pitaya-ts/core'))] }));
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded late: pinus reads process.argv at require time
  const { pinus } = require('pinus') as PinusModule;
  const app = pinus.createApp({ base: path.resolve(base) });
  app.set('name', 'bench');
  app.configure('development', 'connector', () => {
    app.set('connectorConfig', {
      connector: pinus.connectors.hybridconnector,
      heartbeat: 60,
      useDict: false,
      useProtobuf: false,
      distinctHost: true,
    });
  });
  app.start((error?: Error) => {
    if (error) {
      console.error(error);
      process.exit(1);
    }
    if (app.getServerType() !== 'connector') return;
    const port = app.getCurServer().clientPort ?? 0;
    writeReady(process.env.BENCH_READY_FILE ?? '', { pid: process.pid, ws: port, tcp: port });
  });
}

main();
