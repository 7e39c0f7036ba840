import { fork, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import type { ServerStats } from './server';

/** The attacked server, in a child process; `crashed` turns true if it dies on its own. */
export class ServerHandle {
  crashed = false;
  exitReason = '';
  private stopping = false;

  private constructor(private readonly child: ChildProcess, readonly tcpPort: number, readonly wsPort: number) {
    child.on('exit', (code, signal) => {
      if (this.stopping) return;
      this.crashed = true;
      this.exitReason = `exit code ${code} signal ${signal}`;
    });
  }

  static start(args: string[] = []): Promise<ServerHandle> {
    const child = fork(path.join(__dirname, 'server.js'), args, { execArgv: ['--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    return new Promise((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`server exited with ${code} before it was ready`)));
      child.on('message', (m: { ready?: { tcp: number; ws: number } }) => {
        if (m.ready) resolve(new ServerHandle(child, m.ready.tcp, m.ready.ws));
      });
    });
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  /** The server's figures after a full GC. */
  stats(): Promise<ServerStats> {
    return new Promise((resolve, reject) => {
      if (this.crashed) return reject(new Error(`server crashed: ${this.exitReason}`));
      const onMessage = (m: { stats?: ServerStats }): void => {
        if (!m.stats) return;
        this.child.off('message', onMessage);
        resolve(m.stats);
      };
      this.child.on('message', onMessage);
      this.child.send({ stats: true });
    });
  }

  /** Writes a heap snapshot of the server (after a GC) to `file`; resolves with its path. */
  snapshot(file: string): Promise<string> {
    return new Promise((resolve) => {
      const onMessage = (m: { snapshot?: string }): void => {
        if (!m.snapshot) return;
        this.child.off('message', onMessage);
        resolve(m.snapshot);
      };
      this.child.on('message', onMessage);
      this.child.send({ snapshot: file });
    });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.disconnect();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  }
}

/** `1e6`, `200000`, `2e5` → a number. */
export function count(text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`not a positive number: ${text}`);
  return Math.round(n);
}

export const MiB = (bytes: number): string => `${(bytes / 1048576).toFixed(1)} MiB`;
