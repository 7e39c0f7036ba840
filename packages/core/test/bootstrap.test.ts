import {
  BootstrapError, Context, Handler, Inject, Injectable, Module, Notify, Optional, Pitaya, Remote, Route, createLogger,
  type OnInit, type OnShutdown,
} from '@pitaya-ts/core';

const quiet = { serverType: 'game', frontend: false, logger: createLogger({ level: 'silent' }), env: {} } as const;

async function bootError(root: unknown, extra: Record<string, unknown> = {}): Promise<BootstrapError> {
  try {
    await Pitaya.create(root as never, { ...quiet, ...extra });
  } catch (error) {
    expect(error).toBeInstanceOf(BootstrapError);
    return error as BootstrapError;
  }
  throw new Error('expected the bootstrap to fail');
}

describe('bootstrap: scanner, container and route table', () => {
  it('names routes from classes and methods, with renames, transforms and ignores', async () => {
    @Handler() class RoomHandler { @Route() joinRoom(): unknown { return {}; } @Route('leave') quit(): unknown { return {}; } @Notify() chat(): void {} helper(): void {} _hidden(): void {} }
    @Handler({ name: 'lobby', nameTransform: (m) => m.toLowerCase() }) class Lobby { @Route() ListRooms(): unknown { return []; } }
    @Remote() class RoomRemote { @Route() getMembers(): unknown { return []; } }
    @Module({ handlers: [RoomHandler, Lobby], remotes: [RoomRemote] }) class AppModule {}
    const app = await Pitaya.create(AppModule, quiet);
    expect(app.routes.handlers.map((r) => [r.route, r.notify])).toEqual([
      ['game.room.joinRoom', false], ['game.room.leave', false], ['game.room.chat', true], ['game.lobby.listrooms', false],
    ]);
    expect(app.routes.remote('room.getMembers')?.route).toBe('game.room.getMembers');
    expect(app.routes.handler('room.joinRoom')).toBe(app.routes.handler('game.room.joinRoom'));
  });

  it('applies the application-wide routeNameTransform like Pitaya\'s WithNameFunc', async () => {
    @Handler('room') class R { @Route() Join(): unknown { return {}; } }
    @Module({ handlers: [R] }) class M {}
    const app = await Pitaya.create(M, { ...quiet, routeNameTransform: (m) => m.toLowerCase() });
    expect(app.routes.handlers.map((r) => r.route)).toEqual(['game.room.join']);
  });

  it('resolves constructor dependencies by type and by token, across imported modules', async () => {
    @Injectable() class Clock { now(): number { return 42; } }
    const NAME = Symbol('name');
    @Handler('h') class H { constructor(readonly clock: Clock, @Inject(NAME) readonly name: string, @Optional() @Inject('absent') readonly absent?: unknown) {} @Route() t(): unknown { return this.clock.now(); } }
    @Module({ providers: [Clock, { provide: NAME, useFactory: async () => 'async-name' }], exports: [Clock, NAME] }) class Shared {}
    @Module({ imports: [Shared], handlers: [H] }) class AppModule {}
    const app = await Pitaya.create(AppModule, quiet);
    const h = app.get(H);
    expect(h.clock.now()).toBe(42);
    expect(h.name).toBe('async-name');
    expect(h.absent).toBeUndefined();
  });

  it('lets the importing module override a provider of an imported one', async () => {
    const TOKEN = Symbol('value');
    @Module({ providers: [{ provide: TOKEN, useValue: 'library' }] }) class Lib {}
    @Module({ imports: [Lib], providers: [{ provide: TOKEN, useValue: 'app' }] }) class AppModule {}
    const app = await Pitaya.create(AppModule, quiet);
    expect(app.get(TOKEN)).toBe('app');
  });

  it('refuses duplicate routes, naming both methods', async () => {
    @Handler('room') class A { @Route() join(): unknown { return {}; } @Route('join') enter(): unknown { return {}; } }
    @Module({ handlers: [A] }) class M {}
    const error = await bootError(M);
    expect(error.code).toBe('DUPLICATE_ROUTE');
    expect(error.message).toBe('game.room.join is declared twice: by A.join and A.enter');
  });

  it('refuses two handler classes with one service name', async () => {
    @Handler('room') class A { @Route() a(): unknown { return {}; } }
    @Handler('room') class B { @Route() b(): unknown { return {}; } }
    @Module({ handlers: [A, B] }) class M {}
    expect((await bootError(M)).code).toBe('DUPLICATE_SERVICE');
  });

  it('refuses route names with a dot', async () => {
    @Handler('room') class A { @Route('a.b') x(): unknown { return {}; } }
    @Module({ handlers: [A] }) class M {}
    const error = await bootError(M);
    expect(error.code).toBe('ILLEGAL_ROUTE_NAME');
    expect(error.message).toContain('A.x: route name "a.b"');
  });

  it('refuses a handler whose dependency no module provides, naming class and parameter', async () => {
    class Missing {}
    @Handler('room') class RoomHandler { constructor(readonly ok: Date, readonly missing: Missing) {} @Route() x(): unknown { return {}; } }
    @Injectable() class Unused {}
    void Unused;
    @Module({ handlers: [RoomHandler], providers: [{ provide: Date, useValue: new Date() }] }) class M {}
    const error = await bootError(M);
    expect(error.code).toBe('MISSING_PROVIDER');
    expect(error.message).toBe('RoomHandler: constructor parameter #1 needs Missing, which no module provides. Add it to the providers of a module, or mark the parameter @Optional().');
  });

  it('explains interface-typed parameters without @Inject', async () => {
    interface Store { get(): void }
    @Handler('room') class RoomHandler { constructor(readonly store: Store) {} @Route() x(): unknown { return {}; } }
    @Module({ handlers: [RoomHandler] }) class M {}
    expect((await bootError(M)).message).toContain('RoomHandler: constructor parameter #0 has no runtime type');
  });

  it('refuses import cycles and non-modules', async () => {
    @Module({}) class Plain {}
    class NotAModule {}
    @Module({ imports: [NotAModule] }) class M {}
    expect((await bootError(M)).message).toBe('NotAModule is imported as a module but has no @Module() decorator');
    const a: { imports: unknown[] } = { imports: [] };
    @Module(a as never) class A {}
    @Module({ imports: [A] }) class B {}
    a.imports.push(B);
    expect((await bootError(A)).code).toBe('MODULE_CYCLE');
    void Plain;
  });

  it('refuses a frontend without acceptors and invalid server types', async () => {
    @Module({}) class M {}
    expect((await bootError(M, { frontend: true })).code).toBe('NO_ACCEPTOR');
    expect((await bootError(M, { serverType: 'a.b' })).message).toContain('serverType "a.b" is invalid');
  });

  it('runs lifecycle hooks in module order and shutdown hooks in reverse', async () => {
    const order: string[] = [];
    @Injectable() class First implements OnInit, OnShutdown { onInit(): void { order.push('init:first'); } onShutdown(): void { order.push('shutdown:first'); } }
    @Injectable() class Second implements OnInit, OnShutdown { onInit(): void { order.push('init:second'); } onShutdown(): void { order.push('shutdown:second'); } }
    @Handler('h') class H { constructor(readonly s: Second) {} onAfterInit(): void { order.push('after:handler'); } @Route() x(_c: Context): unknown { return {}; } }
    @Module({ providers: [First] }) class Base {}
    @Module({ imports: [Base], providers: [Second], handlers: [H] }) class AppModule {}
    const app = await Pitaya.create(AppModule, quiet);
    await app.start();
    await app.close();
    expect(order).toEqual(['init:first', 'init:second', 'after:handler', 'shutdown:second', 'shutdown:first']);
  });
});
