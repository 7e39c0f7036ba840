import { readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import * as readline from 'node:readline';
import { CliError, oneLine } from '../errors';
import { COMMANDS, ReplSession, type ReplSessionOptions } from './repl-session';

/** Options of `pitaya-ts repl`. */
export interface ReplOptions extends ReplSessionOptions {
  /** Run the commands of this file, then exit: non-zero at the first failing command. */
  readonly file?: string;
  /** Address to connect to before anything else. */
  readonly connectTo?: string;
  /** History file; default `$PITAYA_TS_HISTORY_PATH` or `~/.pitaya-ts_history`. */
  readonly historyFile?: string;
  readonly input?: NodeJS.ReadableStream;
  readonly output?: NodeJS.WritableStream;
  readonly errorOutput?: NodeJS.WritableStream;
}

const HISTORY_SIZE = 1000;
const PROMPT = 'pitaya> ';

/** Runs the REPL; resolves with the process exit code. */
export async function runRepl(options: ReplOptions): Promise<number> {
  return options.file ? runFile(options.file, options) : runInteractive(options);
}

/** `--file`: one command per line, stops at the first error with exit code 1 (so it can gate CI). */
async function runFile(file: string, options: ReplOptions): Promise<number> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read ${file}: ${oneLine(error)}`);
  }
  const stdout = options.output ?? process.stdout;
  const stderr = options.errorOutput ?? process.stderr;
  const session = new ReplSession({ out: (l) => stdout.write(`${l}\n`), err: (l) => stderr.write(`${l}\n`) }, options);
  const lines = [...(options.connectTo ? [`connect ${options.connectTo}`] : []), ...text.split(/\r?\n/)];
  const offset = options.connectTo ? 0 : 1;
  try {
    for (let i = 0; i < lines.length && !session.exited; i++) {
      try {
        await session.execute(lines[i]!);
      } catch (error) {
        stderr.write(`${i + offset === 0 ? 'connect' : `${file}:${i + offset}`}: error: ${oneLine(error)}\n`);
        return 1;
      }
    }
    return 0;
  } finally {
    await session.close();
  }
}

/**
 * The shell: a readline prompt with history in a file and tab completion of commands and of the
 * server's routes. Pushes are printed above the prompt as they arrive without eating what is being
 * typed. Without a terminal (stdin piped) it reads commands line by line and keeps going after errors.
 */
async function runInteractive(options: ReplOptions): Promise<number> {
  const input = options.input ?? process.stdin;
  const output = options.output ?? process.stdout;
  const errorOutput = options.errorOutput ?? process.stderr;
  const terminal = (output as { isTTY?: boolean }).isTTY === true && (input as { isTTY?: boolean }).isTTY === true;
  const historyFile = options.historyFile ?? process.env.PITAYA_TS_HISTORY_PATH ?? join(homedir(), '.pitaya-ts_history');

  let session!: ReplSession;
  const rl = readline.createInterface({
    input,
    output,
    terminal,
    prompt: PROMPT,
    history: terminal ? readHistory(historyFile) : [],
    historySize: HISTORY_SIZE,
    removeHistoryDuplicates: true,
    completer: (line: string): [string[], string] => complete(line, session.routes),
  });
  // Prints above the prompt and redraws it with the half-typed line intact.
  const print = (stream: NodeJS.WritableStream, line: string): void => {
    if (terminal) {
      readline.clearLine(output, 0);
      readline.cursorTo(output, 0);
      stream.write(`${line}\n`);
      rl.prompt(true);
    } else {
      stream.write(`${line}\n`);
    }
  };
  // The iterator buffers lines from the moment it exists: lines typed (or piped) while the first
  // connect runs must not be lost.
  const lines = rl[Symbol.asyncIterator]();
  session = new ReplSession({ out: (l) => print(output, l), err: (l) => print(errorOutput, l) }, options);
  if (terminal) {
    output.write('pitaya-ts REPL: type help for the commands, Tab to complete, exit to leave\n');
    rl.on('history', (history: string[]) => saveHistory(historyFile, history));
  }

  let failures = 0;
  if (options.connectTo) {
    try {
      await session.execute(`connect ${options.connectTo}`);
    } catch (error) {
      failures++;
      print(errorOutput, `error: ${oneLine(error)}`);
    }
  }
  rl.prompt();
  // Commands run one at a time in the order typed, even when lines arrive faster than replies.
  for await (const line of { [Symbol.asyncIterator]: () => lines }) {
    try {
      await session.execute(line);
    } catch (error) {
      failures++;
      print(errorOutput, `error: ${oneLine(error)}`);
    }
    if (session.exited) break;
    rl.prompt();
  }
  rl.close();
  await session.close();
  // Piped input behaves like a script that carried on: non-zero when any command failed.
  return terminal || failures === 0 ? 0 : 1;
}

/** Completes command names, then routes after `request`/`notify`. */
export function complete(line: string, routes: readonly string[]): [string[], string] {
  const parts = line.trimStart().split(/\s+/);
  if (parts.length <= 1) {
    const word = parts[0] ?? '';
    return [Object.keys(COMMANDS).filter((c) => c.startsWith(word)).map((c) => `${c} `), word];
  }
  if (parts.length === 2 && (parts[0] === 'request' || parts[0] === 'notify')) {
    const word = parts[1]!;
    return [routes.filter((r) => r.startsWith(word)), word];
  }
  return [[], line];
}

function readHistory(file: string): string[] {
  try {
    // The file is oldest first, readline wants newest first.
    return readFileSync(file, 'utf8').split('\n').filter(Boolean).slice(-HISTORY_SIZE).reverse();
  } catch {
    return [];
  }
}

function saveHistory(file: string, history: readonly string[]): void {
  try {
    writeFileSync(file, `${[...history].reverse().join('\n')}\n`, { mode: 0o600 });
  } catch {
    // History is a convenience: an unwritable home must not break the shell.
  }
}
