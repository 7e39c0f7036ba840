import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { waitFor } from '@pitaya-ts/testing';

/** The built CLI: these tests run `pitaya-ts` as users do, as a process (`npm test` builds first). */
export const CLI_BIN = path.resolve(__dirname, '../../dist/bin.js');

export function assertBuilt(): void {
  if (!existsSync(CLI_BIN)) throw new Error(`${CLI_BIN} is missing: run npm run build first`);
}

/** A running `pitaya-ts` process whose output the test reads as it comes. */
export class CliProcess {
  readonly child: ChildProcessWithoutNullStreams;
  stdout = '';
  stderr = '';
  readonly exited: Promise<number>;

  constructor(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; command?: string } = {}) {
    assertBuilt();
    const [command, argv] = options.command ? [options.command, args] : [process.execPath, [CLI_BIN, ...args]];
    this.child = spawn(command, argv, { cwd: options.cwd, env: { ...process.env, ...options.env } });
    this.child.stdout.setEncoding('utf8').on('data', (s: string) => (this.stdout += s));
    this.child.stderr.setEncoding('utf8').on('data', (s: string) => (this.stderr += s));
    this.exited = new Promise((resolve) => this.child.once('close', (code) => resolve(code ?? -1)));
  }

  /** Writes keystrokes as they are. */
  write(text: string): void {
    this.child.stdin.write(text);
  }

  /** Types a line into the REPL. */
  send(line: string): void {
    this.child.stdin.write(`${line}\n`);
  }

  /** Waits until stdout (or stderr) contains `text`; returns the output seen so far. */
  async waitFor(text: string | RegExp, stream: 'stdout' | 'stderr' = 'stdout', timeoutMs = 15_000): Promise<string> {
    const has = (): boolean => (typeof text === 'string' ? this[stream].includes(text) : text.test(this[stream]));
    try {
      await waitFor(() => has(), { timeoutMs, message: `${String(text)} in ${stream}` });
    } catch (error) {
      throw new Error(`${(error as Error).message}\n--- stdout:\n${this.stdout}\n--- stderr:\n${this.stderr}`);
    }
    return this[stream];
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill();
  }
}

/** Runs `pitaya-ts` to completion. */
export async function runCliProcess(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; stdin?: string } = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const p = new CliProcess(args, options);
  p.child.stdin.end(options.stdin ?? '');
  const code = await p.exited;
  return { code, stdout: p.stdout, stderr: p.stderr };
}

/** Any command (e.g. `script` wrapping the CLI in a pseudo-terminal), read the same way. */
export class CliProcessRaw extends CliProcess {
  constructor(command: string, args: readonly string[], env: NodeJS.ProcessEnv = {}) {
    super(args, { command, env });
  }
}
