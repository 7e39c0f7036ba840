import { randomUUID } from 'node:crypto';
import pino from 'pino';
import type { Logger } from '@pitaya-ts/core';
import type { ServerInfo } from '@pitaya-ts/cluster';

/** One parsed pino line. */
export interface LogLine {
  readonly level: number;
  readonly msg: string;
  readonly [key: string]: unknown;
}

/** A pino logger that keeps its lines in memory (set PITAYA_TEST_LOGS=1 to also see them). */
export function capturingLogger(): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const stream = {
    write(line: string): void {
      lines.push(JSON.parse(line) as LogLine);
      if (process.env.PITAYA_TEST_LOGS === '1') process.stdout.write(line);
    },
  };
  return { logger: pino({ level: 'debug' }, stream), lines };
}

/** pino's numeric levels. */
export const LogLevel = { debug: 20, info: 30, warn: 40, error: 50 } as const;

/** A key prefix no other test uses, so tests sharing one etcd cannot see each other. */
export function uniquePrefix(): string {
  return `test-${randomUUID().slice(0, 8)}/`;
}

/** A server descriptor for tests. */
export function serverInfo(type: string, overrides: Partial<ServerInfo> = {}): ServerInfo {
  return { id: randomUUID(), type, metadata: {}, frontend: false, hostname: 'test-host', ...overrides };
}
