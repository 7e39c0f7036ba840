import pino from 'pino';

/** The framework's logger: a pino logger. Injected with the {@link LOGGER} token. */
export type Logger = pino.Logger;

/** Container token of the application {@link Logger}. */
export const LOGGER = Symbol.for('pitaya-ts:Logger');

/** Options for {@link createLogger}. */
export interface LoggerOptions {
  /** pino level: `fatal`, `error`, `warn`, `info`, `debug`, `trace` or `silent`. */
  readonly level?: string;
  /** Fields bound to every line (server id and type, for example). */
  readonly base?: Record<string, unknown>;
}

/** Creates the default logger: JSON lines on stdout (pino), level from options or `PITAYA_LOG_LEVEL`. */
export function createLogger(options: LoggerOptions = {}): Logger {
  return pino({ level: options.level ?? process.env.PITAYA_LOG_LEVEL ?? 'info', base: options.base ?? null });
}
