import { spawn, type ChildProcess } from 'node:child_process';
/** What a pitaya-ts server logs once started ("all modules started!"). */
export interface StartedLine {
  id: string;
  type: string;
  listening: { host: string; port: number }[];
}

/**
 * A pitaya-ts server running in its own process. `start()` resolves once it logged "all modules
 * started!" (JSON lines on stdout); the listening ports come from that line, so port 0 works.
 */
export class ServerProcess {
  readonly output: string[] = [];
  private exited: Promise<number | null>;

  private constructor(readonly child: ChildProcess, readonly info: StartedLine) {
    this.exited = new Promise((resolve) => {
      if (child.exitCode !== null) resolve(child.exitCode);
      else child.once('exit', (code) => resolve(code));
    });
  }

  get tcpPort(): number {
    return this.info.listening[0]!.port;
  }

  get wsPort(): number {
    return this.info.listening[1]!.port;
  }

  get id(): string {
    return this.info.id;
  }

  /** Runs `node <script> --key value …` with `env` added to this process's environment. */
  static start(script: string, args: Record<string, string> = {}, options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<ServerProcess> {
    const argv = Object.entries(args).flatMap(([k, v]) => [`--${k}`, v]);
    const child = spawn(process.execPath, [script, ...argv], {
      env: { ...process.env, PITAYA_LOG_LEVEL: process.env.TEST_SERVER_LOG_LEVEL ?? 'info', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output: string[] = [];
    return new Promise((resolve, reject) => {
      let pending = '';
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`server ${script} ${argv.join(' ')} did not start in time:\n${output.join('')}`));
      }, options.timeoutMs ?? 15_000);
      child.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
      child.stdout!.on('data', (chunk: Buffer) => {
        const text = chunk.toString();
        output.push(text);
        pending += text;
        let newline: number;
        while ((newline = pending.indexOf('\n')) >= 0) {
          const line = pending.slice(0, newline);
          pending = pending.slice(newline + 1);
          if (!line.includes('all modules started!')) continue;
          clearTimeout(timer);
          const server = new ServerProcess(child, JSON.parse(line) as StartedLine);
          server.output.push(...output);
          child.stdout!.on('data', (c: Buffer) => server.output.push(c.toString()));
          child.stderr!.on('data', (c: Buffer) => server.output.push(c.toString()));
          resolve(server);
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`server ${script} ${argv.join(' ')} exited with ${code} before starting:\n${output.join('')}`));
      });
    });
  }

  /** Sends `signal` and waits for the process to end (SIGKILL after `graceMs`). */
  async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 10_000): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill(signal);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}
