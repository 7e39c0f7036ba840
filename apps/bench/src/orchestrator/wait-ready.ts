import * as fs from 'node:fs';
import type { ReadyInfo } from '../servers/server-env';
import { tailOf, type ManagedProcess } from './process-registry';

/**
 * Waits (polling, bounded) for a server's ready file; fails early, with the end of its log, if the
 * process exits first.
 */
export async function waitReady(file: string, process_: ManagedProcess, timeoutMs: number): Promise<ReadyInfo> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, 'utf8')) as ReadyInfo;
    if (process_.hasExited()) throw new Error(`${process_.label} exited before it was ready:\n${tailOf(process_.logFile)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${process_.label} not ready after ${timeoutMs} ms:\n${tailOf(process_.logFile)}`);
}
