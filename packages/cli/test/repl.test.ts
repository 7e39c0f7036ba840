import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { PitayaClient } from '@pitaya-ts/client/node';
import { complete } from '@pitaya-ts/cli';
import { Context, createLogger, DocsModule, Handler, Module, Pitaya, PitayaError, Route, tcp, ws, type PitayaApplication } from '@pitaya-ts/core';
import { ChatModule } from '../../../apps/chat/src/chat.module';
import { selfSignedCertificate } from '@pitaya-ts/testing';
import { CLI_BIN, CliProcess, CliProcessRaw, runCliProcess } from './support/cli-process';

/** A line of a stack trace: what a user must never see. */
const STACK_LINE = /^\s+at .+\(.+:\d+:\d+\)$|^\s+at .+:\d+:\d+$/m;

describe('pitaya-ts repl against apps/chat', () => {
  let app: PitayaApplication;
  let tcpPort: number;
  let wsPort: number;
  let dir: string;
  const processes: CliProcess[] = [];
  const clients: PitayaClient[] = [];

  beforeAll(async () => {
    // The chat as it ships, plus the opt-in docs route the REPL completes from.
    app = await Pitaya.create({ module: ChatModule, imports: [DocsModule] }, {
      serverType: 'chat',
      acceptors: [ws({ port: 0, host: '127.0.0.1' }), tcp({ port: 0, host: '127.0.0.1' })],
      logger: createLogger({ level: 'silent' }),
      env: {},
    });
    await app.start();
    [wsPort, tcpPort] = app.listening.map((a) => a.port) as [number, number];
    dir = mkdtempSync(path.join(tmpdir(), 'pitaya-ts-repl-'));
  });
  afterAll(async () => {
    for (const p of processes) p.kill();
    await Promise.all(processes.map((p) => p.exited));
    await Promise.all(clients.map((c) => c.close()));
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const repl = (args: string[] = []): CliProcess => {
    const p = new CliProcess(['repl', ...args], { env: { PITAYA_TS_HISTORY_PATH: path.join(dir, 'history') } });
    processes.push(p);
    return p;
  };

  it('connects, joins, sees the onMembers push, broadcasts a notify and disconnects', async () => {
    const p = repl();
    // No scheme on the TCP port: wss, ws and tls fail first, as in pitaya-cli's order.
    p.send(`connect 127.0.0.1:${tcpPort}`);
    await p.waitFor(`connected to tcp://127.0.0.1:${tcpPort}`);
    p.send('request chat.room.join');
    await p.waitFor('sv-> push onMembers {"members":[]}');
    await p.waitFor('sv-> {"code":0,"result":"success"}');

    // Another player in the room receives what the REPL says.
    const other = await PitayaClient.connect(`ws://127.0.0.1:${wsPort}`);
    clients.push(other);
    await other.request('chat.room.join');
    await p.waitFor(/sv-> push onNewUser \{"content":"New user: \d+"\}/);
    const heard = new Promise((resolve) => other.on('onMessage', resolve));
    p.send('notify chat.room.message {"name":"ana","content":"hello from the repl"}');
    await p.waitFor('sv-> push onMessage {"name":"ana","content":"hello from the repl"}');
    expect(await heard).toEqual({ name: 'ana', content: 'hello from the repl' });

    // The route list comes from the docs route.
    p.send('routes');
    await p.waitFor('chat.room.message\n');
    expect(p.stdout).toContain('chat.docsHandler.docs');

    p.send('disconnect');
    await p.waitFor(`disconnected from tcp://127.0.0.1:${tcpPort}`);
    p.send('exit');
    expect(await p.exited).toBe(0);
    expect(p.stderr).toBe('');
  }, 60_000);

  it('in a terminal: Tab completes commands and the server\'s routes, history goes to its file', async () => {
    // util-linux's `script` gives the REPL a pseudo-terminal, as a person at a keyboard would.
    const history = path.join(dir, 'tty-history');
    const command = `${process.execPath} ${CLI_BIN} repl ws://127.0.0.1:${wsPort} --history ${history}`;
    const p = new CliProcessRaw('script', ['-qfec', command, '/dev/null']);
    processes.push(p);
    await p.waitFor('connected to');
    await p.waitFor('pitaya> ');
    p.write('req\t');
    await p.waitFor('request ');
    p.write('chat.room.jo\t');
    await p.waitFor('chat.room.join');
    p.write('\r');
    await p.waitFor('sv-> {"code":0,"result":"success"}');
    p.write('exit\r');
    expect(await p.exited).toBe(0);
    expect(readFileSync(history, 'utf8')).toBe('request chat.room.join\nexit\n');
  }, 60_000);

  it('tries wss before ws when no scheme is given, and honours an explicit scheme', async () => {
    const plain = repl([`127.0.0.1:${wsPort}`, '--pretty']);
    // Typed before the connection is up: it waits its turn instead of being lost.
    plain.send('request chat.room.join');
    await plain.waitFor(`connected to ws://127.0.0.1:${wsPort}`);
    await plain.waitFor('sv-> {\n  "code": 0,\n  "result": "success"\n}');
    plain.send('exit');
    expect(await plain.exited).toBe(0);

    const explicit = repl([`tcp://127.0.0.1:${tcpPort}`]);
    await explicit.waitFor(`connected to tcp://127.0.0.1:${tcpPort}`);
    explicit.send('exit');
    expect(await explicit.exited).toBe(0);
  }, 60_000);

  it('answers bad input with one line and carries on', async () => {
    const p = repl([`ws://127.0.0.1:${wsPort}`]);
    await p.waitFor('connected to');
    p.send('request chat.room.join {"name":');
    await p.waitFor(/error: invalid JSON .*; write e\.g\. request chat\.room\.join \{"key":"value"\}\n/, 'stderr');
    p.send('request chat.nowhere.join');
    await p.waitFor(/error: PIT-404 chat\.nowhere\.join: .+ \(type routes for the list\)\n/, 'stderr');
    p.send('dance');
    await p.waitFor('error: unknown command "dance": type help for the list\n', 'stderr');
    p.send('connect nowhere');
    await p.waitFor('error: already connected to', 'stderr');
    p.send('request chat.room.join');
    await p.waitFor('sv-> {"code":0,"result":"success"}');
    p.send('exit');
    // Piped input behaves like a script: it went on after each error but reports them in the exit code.
    expect(await p.exited).toBe(1);
    expect(p.stderr.trim().split('\n')).toHaveLength(4);
    expect(p.stderr).not.toMatch(STACK_LINE);
  }, 60_000);

  it('--file runs a script and exits non-zero with the code and message of a failing request', async () => {
    const ok = path.join(dir, 'ok.txt');
    writeFileSync(ok, `# a smoke test\nconnect ws://127.0.0.1:${wsPort}\nrequest chat.room.join\nsleep 10\ndisconnect\n`);
    const good = await runCliProcess(['repl', '--file', ok]);
    expect(good).toMatchObject({ code: 0, stderr: '' });
    expect(good.stdout).toContain('sv-> {"code":0,"result":"success"}');

    const bad = path.join(dir, 'bad.txt');
    writeFileSync(bad, `connect ws://127.0.0.1:${wsPort}\nrequest chat.room.message {"name":"x","content":"y"}\nrequest chat.room.join\n`);
    const failed = await runCliProcess(['repl', '--file', bad]);
    expect(failed.code).toBe(1);
    // chat.room.message is a notify: a request to it is refused with PIT-400, and the script stops there.
    expect(failed.stderr).toMatch(new RegExp(`^${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2: error: PIT-400 chat\\.room\\.message: .+\n$`));
    expect(failed.stdout).not.toContain('sv-> {"code":0');
  }, 60_000);

  it('unreachable addresses, unknown commands and flags: one line, non-zero, no stack trace', async () => {
    const cases: [string[], RegExp][] = [
      [['repl', '127.0.0.1:1', '--file', '/dev/null', '--timeout', '2000'], /could not connect to 127\.0\.0\.1:1 \(wss: .*; ws: .*; tls: .*; tcp: .*\); check the address and that the server is running/],
      [['repl', '--file', path.join(dir, 'missing.txt')], /cannot read .*missing\.txt/],
      [['fly'], /unknown command 'fly' \(see pitaya-ts --help\)/],
      [['repl', '--colour'], /unknown option '--colour' \(see pitaya-ts --help\)/],
      [['repl', '--timeout', 'soon'], /--timeout <ms>.*expected a positive whole number/],
      [['docs', '127.0.0.1:1', '--timeout', '2000'], /could not connect to 127\.0\.0\.1:1/],
      [['docs', 'ftp://x:1'], /unknown scheme "ftp:\/\/"/],
    ];
    for (const [args, message] of cases) {
      const r = await runCliProcess(args);
      expect({ args, code: r.code }).toEqual({ args, code: 1 });
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).not.toMatch(STACK_LINE);
    }
  }, 60_000);

  it("docs writes the server's route table in Pitaya's Documentation shape, or its AsyncAPI document", async () => {
    const out = path.join(dir, 'docs.json');
    const r = await runCliProcess(['docs', `127.0.0.1:${wsPort}`, '-o', out]);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const doc = JSON.parse(readFileSync(out, 'utf8')) as { handlers: Record<string, unknown>; remotes: Record<string, unknown> };
    // The chat declares zod schemas: their fields appear with Go-like type names.
    expect(doc.handlers['chat.room.join']).toEqual({ input: null, output: [{ code: 'int64', result: 'string' }, 'error'] });
    expect(doc.handlers['chat.room.message']).toEqual({ input: { name: 'string', content: 'string' }, output: ['error'] });
    expect(doc.remotes).toEqual({});

    const asyncApi = await runCliProcess(['docs', `ws://127.0.0.1:${wsPort}`, '--format', 'asyncapi']);
    expect(asyncApi.code).toBe(0);
    expect(JSON.parse(asyncApi.stdout)).toMatchObject({ asyncapi: '3.0.0', channels: { 'chat.room.join': {}, onMembers: {} } });

    // Without a server: the compiled module, assembled in-process (apps/chat is built by npm test).
    const offline = await runCliProcess(['docs', '--module', path.resolve(__dirname, '../../../apps/chat/dist/chat.module.js'), '--server-type', 'chat']);
    expect(offline.code).toBe(0);
    // The same chat routes as the live server (which also has the docs routes).
    expect(JSON.parse(offline.stdout)).toEqual({
      handlers: { 'chat.room.join': doc.handlers['chat.room.join'], 'chat.room.message': doc.handlers['chat.room.message'] },
      remotes: {},
    });
    const noType = await runCliProcess(['docs', '--module', path.resolve(__dirname, '../../../apps/chat/dist/chat.module.js')]);
    expect(noType).toMatchObject({ code: 1, stderr: 'pitaya-ts: --module needs --server-type <type>: the first part of the routes\n' });
  }, 60_000);

  it('completes commands, then routes after request and notify', () => {
    const routes = ['chat.room.join', 'chat.room.message', 'chat.docsHandler.docs'];
    expect(complete('req', routes)).toEqual([['request '], 'req']);
    expect(complete('request chat.room.', routes)).toEqual([['chat.room.join', 'chat.room.message'], 'chat.room.']);
    expect(complete('notify chat.d', routes)).toEqual([['chat.docsHandler.docs'], 'chat.d']);
    expect(complete('connect loc', routes)).toEqual([[], 'connect loc']);
  });
});

@Handler('room')
class ProtoRoomHandler {
  @Route({ requestType: 'chat.JoinRequest', responseType: 'chat.JoinResponse' })
  async join(ctx: Context, body: { name: string; score: string }): Promise<unknown> {
    if (body.name === '') throw new PitayaError('RH-001', 'a name is needed', { field: 'name' });
    await ctx.session.push('onNotice', { text: `hello ${body.name}` });
    return { code: 0, result: `${body.name}:${body.score}` };
  }
}
@Module({ imports: [DocsModule], handlers: [ProtoRoomHandler] })
class ProtoApp {}

describe('pitaya-ts repl against a protobuf server', () => {
  let app: PitayaApplication;
  const processes: CliProcess[] = [];
  afterAll(async () => {
    for (const p of processes) p.kill();
    await Promise.all(processes.map((p) => p.exited));
    await app?.close();
  });

  it('reads route types and descriptors from the docs routes, encodes requests and decodes replies, pushes and errors', async () => {
    app = await Pitaya.create(ProtoApp, {
      serverType: 'connector',
      acceptors: [ws({ port: 0, host: '127.0.0.1' })],
      serializer: 'protobuf',
      protobuf: { files: [path.resolve(__dirname, '../../core/test/fixtures/chat.proto')], pushTypes: { onNotice: 'chat.Notice' } },
      logger: createLogger({ level: 'silent' }),
      env: {},
    });
    await app.start();
    const p = new CliProcess(['repl'], { env: { PITAYA_TS_HISTORY_PATH: path.join(tmpdir(), 'pitaya-ts-proto-history') } });
    processes.push(p);
    p.send('push onNotice chat.Notice');
    p.send(`connect ws://127.0.0.1:${app.listening[0]!.port}`);
    await p.waitFor(/protobuf: \d+ routes and their types read from docsHandler\.docs/);
    p.send('request connector.room.join {"name":"ana","score":"5"}');
    await p.waitFor('sv-> push onNotice {"text":"hello ana"}');
    await p.waitFor('sv-> {"code":0,"result":"ana:5"}');
    p.send('request connector.room.join {"name":"","score":"1"}');
    await p.waitFor('error: RH-001 connector.room.join: a name is needed {"field":"name"}', 'stderr');
    p.send('push onOther no.Such');
    await p.waitFor('error: unknown protobuf type no.Such', 'stderr');
    p.send('exit');
    expect(await p.exited).toBe(1);
  }, 60_000);
});

describe('pitaya-ts repl over TLS', () => {
  let app: PitayaApplication;
  afterAll(async () => {
    await app?.close();
  });

  it('connects with wss:// and tls://, and picks them first when no scheme is given (certificates not verified, like pitaya-cli)', async () => {
    const { key, cert } = selfSignedCertificate();
    app = await Pitaya.create({ module: ChatModule, imports: [DocsModule] }, {
      serverType: 'chat',
      acceptors: [ws({ port: 0, host: '127.0.0.1', tls: { key, cert } }), tcp({ port: 0, host: '127.0.0.1', tls: { key, cert } })],
      logger: createLogger({ level: 'silent' }),
      env: {},
    });
    await app.start();
    const [wss, tls] = app.listening.map((a) => a.port) as [number, number];
    const script = (address: string): string => `connect ${address}\nrequest chat.room.join\n`;
    for (const [address, url] of [
      [`127.0.0.1:${wss}`, `wss://127.0.0.1:${wss}`],
      [`127.0.0.1:${tls}`, `tls://127.0.0.1:${tls}`],
      [`tls://127.0.0.1:${tls}`, `tls://127.0.0.1:${tls}`],
    ] as const) {
      const file = path.join(tmpdir(), `pitaya-ts-tls-${process.pid}.txt`);
      writeFileSync(file, script(address));
      const r = await runCliProcess(['repl', '--file', file]);
      rmSync(file, { force: true });
      expect({ address, code: r.code, stderr: r.stderr }).toEqual({ address, code: 0, stderr: '' });
      expect(r.stdout).toContain(`connected to ${url}\n`);
      expect(r.stdout).toContain('sv-> {"code":0,"result":"success"}');
    }
  }, 60_000);
});
