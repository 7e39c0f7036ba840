import type { Container } from 'inversify';
import type { Acceptor, AcceptorAddress, AcceptorContext } from '../acceptors/acceptor';
import { AgentServices } from '../agent/agent-factory';
import { HeartbeatScheduler } from '../agent/heartbeat-scheduler';
import type { PitayaConfig } from '../config/pitaya-config';
import { METRICS_REPORTER, RPC_CLIENT, USER_MESSENGER } from '../container/tokens';
import type { ServiceIdentifier } from '../container/types';
import { Dispatcher } from '../dispatch/dispatcher';
import type { RouteTable } from '../dispatch/route-table';
import { BootstrapError } from '../errors/bootstrap-error';
import { ErrorCode, PitayaError } from '../errors/pitaya-error';
import { PartialPacketBudget } from '../acceptors/partial-packet-budget';
import { runHook } from '../lifecycle';
import type { Logger } from '../logger';
import type { MetricsReporter } from '../metrics/metrics-reporter';
import { ModuleRegistry } from '../modules/module-registry';
import type { RpcCallOptions, RpcClient } from '../rpc/rpc-client';
import type { ServerIdentity } from '../server-identity';
import { SessionPool } from '../session/session-pool';
import type { UserMessenger } from '../session/user-messenger';
import { Timers } from '../timers/timers';

type State = 'created' | 'starting' | 'running' | 'closing' | 'closed';

/**
 * A built application. `start()` runs the init hooks, initializes the Pitaya modules, opens the
 * acceptors, then runs the modules' `afterInit` (service discovery announces the server there, once
 * it can serve); `close()`
 * stops accepting, lets in-flight messages finish, closes sessions and runs the shutdown hooks in
 * reverse order.
 */
export class PitayaApplication {
  private state: State = 'created';
  private closing: Promise<void> | undefined;
  private readonly addresses: AcceptorAddress[] = [];
  private signalHandlers: { signal: NodeJS.Signals; handler: () => void }[] = [];

  constructor(
    private readonly container: Container,
    /** This server's identity. */
    readonly server: ServerIdentity,
    /** The resolved configuration. */
    readonly config: PitayaConfig,
    /** Every route of this server. */
    readonly routes: RouteTable,
    private readonly acceptors: readonly Acceptor[],
    private readonly lifecycle: readonly object[],
    /** The application logger. */
    readonly log: Logger,
  ) {}

  /** A service from the container, by class or token. */
  get<T>(token: ServiceIdentifier<T>): T {
    return this.container.get<T>(token);
  }

  /** The frontend sessions of this server. */
  get sessions(): SessionPool {
    return this.container.get(SessionPool);
  }

  /** Pitaya-style modules by name. */
  get modules(): ModuleRegistry {
    return this.container.get(ModuleRegistry);
  }

  get isRunning(): boolean {
    return this.state === 'running';
  }

  /** Where each acceptor listens (after `start()`), in the order given. */
  get listening(): readonly AcceptorAddress[] {
    return this.addresses;
  }

  /** Calls a remote on a server of the route's type (cluster mode). */
  rpc<T = unknown>(route: string, arg?: unknown, options?: RpcCallOptions): Promise<T> {
    return this.container.get<RpcClient>(RPC_CLIENT).call<T>(route, arg, options);
  }

  /** Calls a remote on one server by id (cluster mode). */
  rpcTo<T = unknown>(serverId: string, route: string, arg?: unknown, options?: RpcCallOptions): Promise<T> {
    return this.container.get<RpcClient>(RPC_CLIENT).callTo<T>(serverId, route, arg, options);
  }

  /**
   * Pushes to users wherever they are connected (Pitaya's `SendPushToUsers`): `frontendType` is the
   * type of the frontends holding them (required on a backend). Resolves with the uids not reached.
   */
  sendPushToUsers(route: string, body: unknown, uids: readonly string[], frontendType?: string): Promise<string[]> {
    return this.container.get<UserMessenger>(USER_MESSENGER).pushToUsers(route, body, uids, frontendType);
  }

  /** Kicks users wherever they are connected (Pitaya's `SendKickToUsers`). Resolves with the uids not kicked. */
  sendKickToUsers(uids: readonly string[], frontendType?: string): Promise<string[]> {
    return this.container.get<UserMessenger>(USER_MESSENGER).kickUsers(uids, frontendType);
  }

  async start(): Promise<void> {
    if (this.state !== 'created') throw new BootstrapError('INVALID_STATE', `start() called on a ${this.state} application`);
    this.state = 'starting';
    try {
      await runHook(this.lifecycle, 'onInit');
      await runHook(this.lifecycle, 'onAfterInit');
      await this.modules.init();
      if (this.server.frontend) await this.openAcceptors();
      await this.modules.afterInit();
    } catch (error) {
      this.log.error({ err: error }, 'start-up failed');
      await this.close();
      throw error;
    }
    this.state = 'running';
    this.log.info({ id: this.server.id, type: this.server.type, listening: this.addresses, modules: this.modules.names() }, 'all modules started!');
  }

  private async openAcceptors(): Promise<void> {
    const agents = this.container.get(AgentServices);
    this.container.get(HeartbeatScheduler).start();
    const context: AcceptorContext = {
      config: this.config,
      metrics: this.container.get<MetricsReporter>(METRICS_REPORTER),
      log: this.log,
      partialPackets: new PartialPacketBudget(this.config.conn.partialPacketBudget),
    };
    for (const acceptor of this.acceptors) {
      try {
        this.addresses.push(await acceptor.listen((connection) => agents.createAgent(connection), context));
      } catch (error) {
        throw new BootstrapError('LISTEN_FAILED', `${acceptor.name}: ${(error as Error).message}`, { cause: error });
      }
    }
  }

  /** Graceful shutdown; safe to call more than once. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    this.state = 'closing';
    this.removeSignalHandlers();
    const timeoutMs = this.config.shutdown.timeout;
    const deadline = Date.now() + timeoutMs;
    await Promise.all(this.acceptors.map((a) => a.stopAccepting().catch(() => undefined)));
    const pool = this.container.get(SessionPool);
    // Stop reading, then answer everything already read: a request the server took must get a reply.
    for (const session of pool.sessions()) session.stopReading();
    await this.safely(() => this.modules.beforeShutdown());
    if (!(await withTimeout(this.container.get(Dispatcher).idle(), Math.max(0, deadline - Date.now())))) {
      const error = new PitayaError(ErrorCode.ServiceUnavailable, 'server is shutting down');
      let answered = 0;
      for (const session of pool.sessions()) answered += session.abandonRequests(error);
      this.log.warn({ requests: answered, timeoutMs }, 'shutdown.timeout passed: requests still in progress answered with PIT-503');
    }
    await this.safely(() => runHook([...this.lifecycle].reverse(), 'onBeforeShutdown'));
    pool.closeAll('server shutting down');
    await withTimeout(pool.whenEmpty(), Math.min(timeoutMs, 2000));
    await this.modules.shutdown();
    await this.safely(() => runHook([...this.lifecycle].reverse(), 'onShutdown'));
    this.container.get(HeartbeatScheduler).stop();
    this.container.get(Timers).stopAll();
    await Promise.all(this.acceptors.map((a) => a.close().catch(() => undefined)));
    this.state = 'closed';
    this.log.info({ id: this.server.id }, 'server stopped');
  }

  /**
   * Closes gracefully on SIGTERM/SIGINT, then raises the signal again with its default action, so the
   * process ends the way the signal asked (like NestJS; the library itself never calls
   * `process.exit`). With `session.drain.enabled`, SIGTERM first waits for sessions to end (Pitaya's
   * session draining); a second signal skips the wait.
   */
  enableShutdownHooks(signals: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT']): this {
    let received = 0;
    let interruptDrain: (() => void) | undefined;
    for (const signal of signals) {
      const handler = (): void => {
        received++;
        if (received > 1) {
          this.log.warn({ signal }, 'second signal: bypassing session draining');
          interruptDrain?.();
          return;
        }
        void (async () => {
          try {
            if (signal === 'SIGTERM' && this.config.session.drain.enabled) {
              await this.drainSessions((interrupt) => (interruptDrain = interrupt));
            }
            await this.close();
          } catch (error) {
            // Still no process.exit: the signal raised below ends the process all the same.
            this.log.error({ err: error, signal }, 'shutdown failed');
            process.exitCode = 1;
          }
          this.removeSignalHandlers();
          // Our handlers are gone: unless the application listens to it too, the signal now ends the process.
          process.kill(process.pid, signal);
        })();
      };
      process.on(signal, handler);
      this.signalHandlers.push({ signal, handler });
    }
    return this;
  }

  /** Pitaya's session draining: tells session modules, then waits for every session count to reach zero. */
  async drainSessions(onInterruptible: (interrupt: () => void) => void = () => undefined): Promise<void> {
    const { timeout, period } = this.config.session.drain;
    const pool = this.container.get(SessionPool);
    const modules = this.modules.sessionModules();
    for (const module of [...modules].reverse()) await module.startSessionDraining();
    const remaining = (): number => Math.max(pool.count, ...modules.map((m) => m.sessionCount()));
    if (remaining() === 0) return;
    // Woken by the pool emptying, the interrupt or the deadline; session modules (which have no
    // events) are re-counted every period, when the progress is logged.
    await new Promise<void>((resolve) => {
      const finish = (): void => {
        clearInterval(ticker);
        clearTimeout(deadline);
        resolve();
      };
      const check = (): void => {
        if (remaining() === 0) finish();
      };
      const deadline = setTimeout(finish, timeout);
      const ticker = setInterval(() => {
        this.log.info({ sessions: remaining() }, 'waiting for sessions to drain');
        check();
      }, period);
      this.log.info({ sessions: remaining() }, 'waiting for sessions to drain');
      onInterruptible(finish);
      void pool.whenEmpty().then(check);
    });
  }

  private removeSignalHandlers(): void {
    for (const { signal, handler } of this.signalHandlers) process.off(signal, handler);
    this.signalHandlers = [];
  }

  private async safely(action: () => Promise<void>): Promise<void> {
    try {
      await action();
    } catch (error) {
      this.log.error({ err: error }, 'shutdown hook failed');
    }
  }
}

/** True when `promise` settled within `ms`. */
async function withTimeout(promise: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const settled = await Promise.race([promise.then(() => true), new Promise<boolean>((resolve) => (timer = setTimeout(resolve, ms, false)))]);
  clearTimeout(timer);
  return settled;
}

