import { Writable } from 'node:stream';
import pino from 'pino';
import {
  BinaryModule, BootstrapError, Injectable, Module, ModuleRegistry, Pitaya, Timers, createLogger, type OnInit, type PitayaModule, type SessionModule,
} from '@pitaya-ts/core';
import { FakeAcceptor } from './support/fake-acceptor';

const quiet = { serverType: 'game', frontend: false, logger: createLogger({ level: 'silent' }), env: {} } as const;

describe('Pitaya-style modules', () => {
  it('runs init before and afterInit after the acceptors, shutdown in reverse, and finds modules by name', async () => {
    const order: string[] = [];
    const acceptor = new FakeAcceptor();
    const listen = acceptor.listen.bind(acceptor);
    acceptor.listen = (...args) => {
      order.push('acceptors');
      return listen(...args);
    };
    const module = (name: string): PitayaModule => ({
      init: () => void order.push(`init:${name}`),
      afterInit: () => void order.push(`after:${name}`),
      beforeShutdown: () => void order.push(`before-shutdown:${name}`),
      shutdown: () => void order.push(`shutdown:${name}`),
    });
    @Injectable() class Registrar implements OnInit {
      constructor(private readonly modules: ModuleRegistry) {}
      onInit(): void {
        this.modules.register('second', module('second'));
        this.modules.register('first', module('first'), 'before');
      }
    }
    @Module({ providers: [Registrar] }) class AppModule {}
    const app = await Pitaya.create(AppModule, { ...quiet, serverType: 'connector', frontend: true, acceptors: [acceptor] });
    await app.start();
    expect(app.modules.get('second')).toBeDefined();
    expect(app.modules.names()).toEqual(['first', 'second']);
    expect(() => app.modules.register('late', module('late'))).toThrow(BootstrapError);
    await app.close();
    expect(order).toEqual([
      'init:first', 'init:second', 'acceptors', 'after:first', 'after:second',
      'before-shutdown:second', 'before-shutdown:first', 'shutdown:second', 'shutdown:first',
    ]);
  });

  it('refuses two modules with one name', async () => {
    @Module({}) class AppModule {}
    const app = await Pitaya.create(AppModule, quiet);
    app.modules.register('x', {});
    expect(() => app.modules.register('x', {})).toThrow('module with name x already exists');
  });

  it('drains sessions: tells session modules, then waits until their counts reach zero', async () => {
    let count = 2;
    let draining = false;
    const sessionModule: SessionModule = { startSessionDraining: () => void (draining = true), sessionCount: () => count };
    @Module({}) class AppModule {}
    const app = await Pitaya.create(AppModule, { ...quiet, config: { session: { drain: { period: '20ms', timeout: '5s' } } } });
    app.modules.register('players', sessionModule);
    await app.start();
    const drained = app.drainSessions();
    await new Promise((r) => setTimeout(r, 60));
    expect(draining).toBe(true);
    let done = false;
    void drained.then(() => (done = true));
    await new Promise((r) => setTimeout(r, 60));
    expect(done).toBe(false);
    count = 0;
    await drained;
    await app.close();
  });
});

describe('binary module', () => {
  it('starts a child process, logs its stdout and stderr lines, and stops it', async () => {
    const lines: { level: number; msg: string }[] = [];
    const sink = new Writable({ write(chunk: Buffer, _enc, cb) { lines.push(JSON.parse(chunk.toString())); cb(); } });
    const log = pino({ level: 'info' }, sink);
    const binary = new BinaryModule({
      command: process.execPath,
      // The SIGTERM handler goes first: the test signals as soon as it has read both lines.
      args: ['-e', 'process.on("SIGTERM", () => process.exit(0)); setInterval(() => {}, 1000); console.log("ready"); console.error("oops");'],
      gracefulShutdownMs: 2000,
    }, log);
    await binary.init();
    await waitFor(() => lines.length >= 2);
    expect(lines).toEqual(expect.arrayContaining([expect.objectContaining({ level: 30, msg: 'ready' }), expect.objectContaining({ level: 50, msg: 'oops' })]));
    await binary.shutdown();
    expect(await binary.exited).toBe(0);
  });

  it('kills a child that ignores SIGTERM after the grace period', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write(chunk: Buffer, _enc, cb) { lines.push(chunk.toString()); cb(); } });
    const binary = new BinaryModule({
      command: process.execPath,
      args: ['-e', 'process.on("SIGTERM", () => {}); console.log("stubborn"); setInterval(() => {}, 1000);'],
      gracefulShutdownMs: 200,
    }, pino({ level: 'info' }, sink));
    await binary.init();
    await waitFor(() => lines.some((l) => l.includes('stubborn')));
    const started = Date.now();
    await binary.shutdown();
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(await binary.exited).toBeNull();
    expect(lines.some((l) => l.includes('timeout waiting to binary module to die'))).toBe(true);
  });
});

describe('timers', () => {
  it('runs every/count/after/when tasks, survives a failing task, and stops them all', async () => {
    @Module({}) class AppModule {}
    const app = await Pitaya.create(AppModule, quiet);
    const timers = app.get(Timers);
    const seen: string[] = [];
    timers.count(10, 3, () => void seen.push('count'));
    timers.after(15, () => void seen.push('after'));
    timers.every(10, () => {
      throw new Error('a failing task is logged, not fatal');
    });
    let flag = false;
    timers.when(() => flag, () => void seen.push('when'), 10);
    setTimeout(() => (flag = true), 30);
    await new Promise((r) => setTimeout(r, 100));
    timers.stopAll();
    const snapshot = [...seen];
    await new Promise((r) => setTimeout(r, 40));
    expect(seen).toEqual(snapshot);
    expect(seen.filter((s) => s === 'count')).toHaveLength(3);
    expect(seen).toContain('after');
    expect(seen).toContain('when');
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
