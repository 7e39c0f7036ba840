import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { Handler, Module, Route } from '@pitaya-ts/core';
import { Test, waitFor, type TestingApp } from '@pitaya-ts/testing';

@Handler('h') class H { @Route() ping(): unknown { return {}; } }
@Module({ handlers: [H] }) class AppModule {}

describe('start/stop wait on events, not timers', () => {
  let testing: TestingApp | undefined;
  afterEach(async () => testing?.close());

  it('session draining ends when the last session closes, not at the next poll', async () => {
    // A 10-minute log period: only an event can end the drain within the test's deadline.
    testing = await Test.createTestingModule(AppModule).compile({ config: { session: { drain: { enabled: true, period: '10m', timeout: '1h' } } } });
    const client = await testing.connect();
    const started = performance.now();
    let drained = false;
    const draining = testing.app.drainSessions().then(() => (drained = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(drained).toBe(false);
    await client.close();
    await draining;
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('an interrupt (second signal) ends the drain at once', async () => {
    testing = await Test.createTestingModule(AppModule).compile({ config: { session: { drain: { enabled: true, period: '10m', timeout: '1h' } } } });
    await testing.connect();
    let interrupt: (() => void) | undefined;
    const draining = testing.app.drainSessions((i) => (interrupt = i));
    await waitFor(() => interrupt !== undefined);
    interrupt!();
    await draining;
    expect(testing.app.sessions.count).toBe(1);
  });

  it('close() returns as soon as the sessions are gone', async () => {
    testing = await Test.createTestingModule(AppModule).compile({ config: { shutdown: { timeout: '1m' } } });
    await testing.connect();
    await testing.connect();
    const started = performance.now();
    await testing.app.close();
    expect(testing.app.sessions.count).toBe(0);
    expect(performance.now() - started).toBeLessThan(1500);
  });
});

describe('enableShutdownHooks', () => {
  it('closes the application on SIGTERM and lets the signal end the process (no process.exit)', async () => {
    // Runs the compiled packages (npm test builds first), as a separate process the signal can end.
    const core = path.resolve(__dirname, '../dist/index.js');
    const script = `
      const { Pitaya, Module, createLogger } = require(${JSON.stringify(core)});
      class Empty {}
      Module({})(Empty);
      (async () => {
        const app = await Pitaya.create(Empty, { serverType: 'x', frontend: false, logger: createLogger({ level: 'silent' }), env: {} });
        await app.start();
        app.enableShutdownHooks();
        const close = app.close.bind(app);
        app.close = async () => { await close(); process.stdout.write('closed\\n'); };
        setInterval(() => {}, 1000); // something keeps the loop alive: only the signal may end it
        process.stdout.write('ready\\n');
      })();
    `;
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    await waitFor(() => output.includes('ready'), { timeoutMs: 15_000 });
    child.kill('SIGTERM');
    expect(await exited).toEqual({ code: null, signal: 'SIGTERM' });
    expect(output).toContain('closed');
  });
});

