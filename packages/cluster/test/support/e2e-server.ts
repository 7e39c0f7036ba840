import * as path from 'node:path';
import { ServerProcess } from '@pitaya-ts/testing';

/** The compiled port of Pitaya's e2e server (apps/e2e-server); `npm test` builds it first. */
export const E2E_SERVER = path.resolve(__dirname, '../../../../apps/e2e-server/dist/main.js');

/** Starts the e2e server with Pitaya's flags (`type`, `frontend`, `sdprefix`, `etcd`, …). */
export function startE2eServer(args: Record<string, string>, env?: NodeJS.ProcessEnv): Promise<ServerProcess> {
  return ServerProcess.start(E2E_SERVER, args, { env });
}
