import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trackChild } from './child-processes';
import { freePort } from './free-port';
import { waitFor } from './wait-for';

/** Options of {@link startPrometheus}. */
export interface StartPrometheusOptions {
  /** `host:port` targets to scrape (`/metrics`). */
  readonly targets: readonly string[];
  /** Scrape interval in seconds (default 1). */
  readonly scrapeIntervalSeconds?: number;
  /** Executable. Default: `$PROMETHEUS_BIN`, else `/usr/bin/prometheus` (Debian's package), else `prometheus`. */
  readonly binary?: string;
  /** How long to wait for `/-/ready` (default 20 000 ms). */
  readonly startTimeoutMs?: number;
}

/** One sample of an instant query. */
export interface PromSample {
  readonly metric: Record<string, string>;
  readonly value: number;
}

/** A running Prometheus started by {@link startPrometheus}. */
export interface PrometheusHandle {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** Runs an instant PromQL query through the HTTP API (`/api/v1/query`). */
  query(promql: string): Promise<PromSample[]>;
  /** Kills Prometheus and removes its temporary directory. Idempotent. */
  stop(): Promise<void>;
}

function defaultBinary(): string {
  return process.env.PROMETHEUS_BIN ?? '/usr/bin/prometheus';
}

/**
 * Starts a real Prometheus on a free loopback port with a generated scrape configuration and a
 * temporary storage directory, and waits until it is ready. Used by tests that read series back
 * through Prometheus's query API.
 */
export async function startPrometheus(options: StartPrometheusOptions): Promise<PrometheusHandle> {
  const dir = mkdtempSync(join(tmpdir(), 'pitaya-prometheus-'));
  const interval = options.scrapeIntervalSeconds ?? 1;
  const config = [
    'global:',
    `  scrape_interval: ${interval}s`,
    `  scrape_timeout: ${interval}s`,
    'scrape_configs:',
    '  - job_name: pitaya',
    '    static_configs:',
    `      - targets: [${options.targets.map((t) => `'${t}'`).join(', ')}]`,
    '',
  ].join('\n');
  writeFileSync(join(dir, 'prometheus.yml'), config);
  let lastError: unknown;
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const child = spawn(options.binary ?? defaultBinary(), [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ], { stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    child.stderr!.on('data', (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4000)));
    trackChild(child);
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    try {
      await waitFor(async () => {
        if (child.exitCode !== null) throw new Error(`prometheus exited: ${log}`);
        const res = await fetch(`${url}/-/ready`).catch(() => undefined);
        return res?.status === 200;
      }, { timeoutMs: options.startTimeoutMs ?? 20_000, intervalMs: 100, message: `prometheus ready on ${url}` });
    } catch (error) {
      lastError = error;
      child.kill('SIGKILL');
      await exited;
      if (/address already in use/.test(log)) continue;
      rmSync(dir, { recursive: true, force: true });
      throw error;
    }
    let stopped = false;
    return {
      url,
      async query(promql: string): Promise<PromSample[]> {
        const res = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(promql)}`);
        const body = (await res.json()) as { status: string; error?: string; data?: { result: { metric: Record<string, string>; value: [number, string] }[] } };
        if (body.status !== 'success') throw new Error(`query ${promql} failed: ${body.error ?? res.status}`);
        return (body.data?.result ?? []).map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
      },
      async stop(): Promise<void> {
        if (stopped) return;
        stopped = true;
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  rmSync(dir, { recursive: true, force: true });
  throw lastError instanceof Error ? lastError : new Error('could not start prometheus');
}
