import { encodeJob, encodeRpcArgs, Job, WorkerKeys } from '@pitaya-ts/worker';

// What Go Pitaya's `ReliableRPC("metagame.metagame.logremote", nil, &protos.Response{}, &protos.Arg{Msg: "hi"})`
// writes with go-workers v1.2.1 and Pitaya's default retry options (encoding/json field order, omitempty).
const GO_JOB =
  '{"queue":"rpc","class":"","args":{"Route":"metagame.metagame.logremote","Metadata":null,"Arg":{"msg":"hi"},"Reply":{}},' +
  '"jid":"0123456789abcdef01234567","enqueued_at":1701350400.123456,"retry":true,"retry_max":2,' +
  '"retry_options":{"exp":5,"min_delay":10,"max_delay":10,"max_rand":0},' +
  '"connection_options":{"Address":"","Password":"","Database":"","ProcessID":"","Namespace":"","PoolSize":0,"PoolInterval":0,"DialOptions":null}}';

const PITAYA_RETRY = { enabled: true, max: 2, exponential: 5, minDelay: 10, maxDelay: 10, maxRandom: 0 };

describe('job format (go-workers v1.2.1)', () => {
  it('encodes a job byte for byte as Go Pitaya does', () => {
    const json = encodeJob({
      argsJson: encodeRpcArgs('metagame.metagame.logremote', undefined, '{"msg":"hi"}'),
      jid: '0123456789abcdef01234567',
      enqueuedAt: 1701350400.123456,
      retry: PITAYA_RETRY,
    });
    expect(json).toBe(GO_JOB);
  });

  it('omits retry and retry_max when false / 0, as omitempty does', () => {
    const json = encodeJob({ argsJson: '{}', jid: 'j', enqueuedAt: 1, retry: { ...PITAYA_RETRY, enabled: false, max: 0 } });
    expect(json).toBe('{"queue":"rpc","class":"","args":{},"jid":"j","enqueued_at":1,"retry_options":{"exp":5,"min_delay":10,"max_delay":10,"max_rand":0},' +
      '"connection_options":{"Address":"","Password":"","Database":"","ProcessID":"","Namespace":"","PoolSize":0,"PoolInterval":0,"DialOptions":null}}');
    expect(JSON.parse(json)).not.toHaveProperty('retry');
  });

  it('marks a failed job as the retry middleware does, keeping args byte for byte', () => {
    const withBigInt = GO_JOB.replace('{"msg":"hi"}', '{"uid":12345678901234567890, "msg":"h\\"i}"}');
    const job = Job.parse(withBigInt)!;
    const when = new Date(Date.UTC(2026, 10, 30, 9, 5, 7));
    const first = job.failed('rpc', 'boom', when);
    expect(first.retryCount).toBe(0);
    expect(first.json).toContain('"args":{"Route":"metagame.metagame.logremote","Metadata":null,"Arg":{"uid":12345678901234567890, "msg":"h\\"i}"},"Reply":{}}');
    const parsed = JSON.parse(first.json) as Record<string, unknown>;
    expect(parsed).toMatchObject({ queue: 'rpc', error_message: 'boom', failed_at: '2026-11-30 09:05:07 UTC', retry_count: 0, jid: '0123456789abcdef01234567' });
    expect(parsed).not.toHaveProperty('retried_at');

    const second = Job.parse(first.json)!.failed('ns:rpc', 'again', when);
    expect(second.retryCount).toBe(1);
    expect(JSON.parse(second.json)).toMatchObject({ queue: 'ns:rpc', error_message: 'again', failed_at: '2026-11-30 09:05:07 UTC', retried_at: '2026-11-30 09:05:07 UTC', retry_count: 1 });
    expect(Job.parse(second.json)!.requeued(42)).toContain('"enqueued_at":42');
  });

  it('decides retries like go-workers: retry flag or Sidekiq int, retry_max, retry_count', () => {
    const job = (fields: Record<string, unknown>): Job => Job.parse(JSON.stringify({ queue: 'rpc', args: {}, ...fields }))!;
    expect(job({ retry: true, retry_max: 2 }).shouldRetry()).toBe(true);          // first failure: count absent = 0
    expect(job({ retry: true, retry_max: 2, retry_count: 1 }).shouldRetry()).toBe(true);
    expect(job({ retry: true, retry_max: 2, retry_count: 2 }).shouldRetry()).toBe(false);
    expect(job({ retry: true, retry_count: 24 }).shouldRetry()).toBe(true);        // default max 25
    expect(job({ retry: true, retry_count: 25 }).shouldRetry()).toBe(false);
    expect(job({ retry: 3, retry_count: 2 }).shouldRetry()).toBe(true);            // Sidekiq's retry: <int>
    expect(job({ retry: 0 }).shouldRetry()).toBe(false);
    expect(job({}).shouldRetry()).toBe(false);
  });

  it('computes the backoff like go-workers: count^exp + min + rand·(count+1), capped', () => {
    const pitaya = Job.parse(GO_JOB)!;
    expect([0, 1, 2, 5].map((n) => pitaya.retryDelaySeconds(n))).toEqual([10, 10, 10, 10]);
    const custom = Job.parse(JSON.stringify({ retry_options: { exp: 2, min_delay: 1, max_delay: 60, max_rand: 3 } }))!;
    expect(custom.retryDelaySeconds(3, () => 2)).toBe(9 + 1 + 2 * 4);
    expect(custom.retryDelaySeconds(10, () => 0)).toBe(60);
    const defaults = Job.parse('{}')!;                                          // go-workers' defaults: exp 4, min 15, rand 30
    expect(defaults.retryDelaySeconds(2, () => 1)).toBe(16 + 15 + 3);
  });

  it('refuses text that is not a JSON object', () => {
    for (const text of ['', 'not json', '[1,2]', 'null', '"x"', '{"a":']) expect(Job.parse(text)).toBeUndefined();
  });

  it('names the keys as go-workers does, with and without a namespace', () => {
    const bare = new WorkerKeys('');
    expect([bare.queues, bare.queue(), bare.inProgress('host-1'), bare.retry, bare.schedule, bare.dead, bare.stat('processed')])
      .toEqual(['queues', 'queue:rpc', 'queue:rpc:host-1:inprogress', 'goretry', 'schedule', 'dead', 'stat:processed']);
    const ns = new WorkerKeys('pitaya');
    expect([ns.queues, ns.queue(), ns.inProgress('h'), ns.retry, ns.stat('failed', '2026-11-30'), ns.retryQueueName()])
      .toEqual(['pitaya:queues', 'pitaya:queue:rpc', 'pitaya:queue:rpc:h:inprogress', 'pitaya:goretry', 'pitaya:stat:failed:2026-11-30', 'pitaya:rpc']);
    expect([ns.queueOf('pitaya:rpc'), ns.queueOf('rpc'), ns.queueOf('')]).toEqual(['rpc', 'rpc', 'rpc']);
  });

  it('rewrites any job (nested values, escapes, braces in strings, whitespace) into valid JSON with args untouched', () => {
    let seed = 42;
    const rand = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % n);
    const strings = ['', 'a', '"', '\\', '}', '{', ']', ',', ':', 'é', '\n', '\u0000', '"}]{[,'];
    const value = (depth: number): unknown => {
      switch (rand(depth > 3 ? 4 : 6)) {
        case 0: return strings[rand(strings.length)]! + String(rand(100));
        case 1: return rand(2) === 0 ? rand(1e6) - 5e5 : rand(1000) / 7;
        case 2: return [true, false, null][rand(3)];
        case 3: return '';
        case 4: return Array.from({ length: rand(4) }, () => value(depth + 1));
        default: return Object.fromEntries(Array.from({ length: rand(4) }, () => [strings[rand(strings.length)]! + rand(9), value(depth + 1)]));
      }
    };
    for (let i = 0; i < 300; i++) {
      const args = { Route: 'a.b.c', Metadata: value(1), Arg: value(1), Reply: {} };
      const text = JSON.stringify({ queue: 'rpc', class: '', args, jid: `j${i}`, retry: true, ...(rand(2) ? { retry_count: rand(5) } : {}) }, null, rand(3));
      const job = Job.parse(text)!;
      expect(job).toBeDefined();
      const { json } = job.failed('rpc', `error "${i}" }`);
      const reparsed = JSON.parse(json) as { args: unknown; error_message: string };
      expect(reparsed.args).toEqual(args);
      expect(reparsed.error_message).toBe(`error "${i}" }`);
      expect(JSON.parse(Job.parse(json)!.requeued(1))).toMatchObject({ enqueued_at: 1, args });
    }
  });
});
