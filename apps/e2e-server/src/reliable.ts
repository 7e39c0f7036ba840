import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Context, Handler, Inject, PitayaError, Remote, Route, SERVER_INFO, type ServerIdentity } from '@pitaya-ts/core';
import { ReliableRpc, type RetryPolicy, type RpcJob } from '@pitaya-ts/worker';

interface RecordRequest {
  /** Job id chosen by the test (letters, digits, `-`, `_`). */
  id: string;
  /** Fail the first N attempts. */
  failTimes?: number;
  /** Sleep this long in the first attempt (so a test can kill the worker mid-job). */
  sleepFirstMs?: number;
}

const ID = /^[\w-]{1,64}$/;

/**
 * Target of the reliable-RPC tests (`<type>.reliable.record`): appends `start <id> <ms> <server>`
 * and `done …` lines to `<dir>/record.log`, which survives the kill of any process, so a test can
 * count executions. Only registered with `--reliablelog <dir>`. Idempotent by design, as every
 * remote called through reliable RPC must be.
 */
@Remote({ name: 'reliable' })
export class ReliableTarget {
  static dir = '';

  constructor(@Inject(SERVER_INFO) private readonly server: ServerIdentity) {}

  @Route()
  async record(_ctx: Context, body: RecordRequest): Promise<{ ok: boolean; attempt: number }> {
    if (typeof body?.id !== 'string' || !ID.test(body.id)) throw new PitayaError('PIT-400', 'bad id');
    const file = join(ReliableTarget.dir, 'record.log');
    appendFileSync(file, `start ${body.id} ${Date.now()} ${this.server.id}\n`);
    const attempt = readFileSync(file, 'utf8').split('\n').filter((l) => l.startsWith(`start ${body.id} `)).length;
    if (attempt <= (body.failTimes ?? 0)) throw new PitayaError('RH-503', `planned failure ${attempt}`);
    if (attempt === 1 && body.sleepFirstMs) await new Promise((r) => setTimeout(r, Math.min(body.sleepFirstMs!, 60_000)));
    appendFileSync(file, `done ${body.id} ${Date.now()} ${this.server.id}\n`);
    return { ok: true, attempt };
  }
}

/** `<type>.reliablesvc.enqueue`: a client asks this server to enqueue a reliable RPC (registered with `--redis`). */
@Handler({ name: 'reliablesvc' })
export class ReliableSvc {
  constructor(private readonly reliable: ReliableRpc) {}

  @Route()
  async enqueue(_ctx: Context, body: { route: string; arg?: unknown; retry?: Partial<RetryPolicy> }): Promise<{ jid: string }> {
    return { jid: await this.reliable.reliableRpc(body.route, body.arg, { retry: body.retry }) };
  }
}

/** How the worker types jobs (Go's `GetArgReply`): `testremotesvc` remotes take protobuf, like Go remotes. */
export class E2eRpcJob implements RpcJob {
  argReply(route: string): { requestType?: string; responseType?: string } | undefined {
    if (!route.includes('.testremotesvc.')) return undefined;
    return route.endsWith('.rpctestnoargs') ? { responseType: 'test.TestResponse' } : { requestType: 'test.TestRequest', responseType: 'test.TestResponse' };
  }
}
