/**
 * An error meant for the person at the terminal: printed as one line (never a stack trace) and
 * turned into the process exit code.
 */
export class CliError extends Error {
  override readonly name = 'CliError';

  constructor(message: string, readonly exitCode = 1) {
    super(message);
  }
}

/** The one-line text of anything thrown: a CliError's message, else the error's message without its stack. */
export function oneLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/\s*\n\s*/g, ' ').trim() || 'unknown error';
}
