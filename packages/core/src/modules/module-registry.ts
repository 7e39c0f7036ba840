import { injectable } from 'inversify';
import { Inject } from '../decorators/inject.decorators';
import { BootstrapError } from '../errors/bootstrap-error';
import { LOGGER, type Logger } from '../logger';

/**
 * A Pitaya-style module: a long-lived part with its own lifecycle (service discovery, RPC server
 * and client, unique session, binary, your own), stopped in reverse order. Every `init` runs before
 * the acceptors open and every `afterInit` after, so a module that announces the server (service
 * discovery) does it in `afterInit`, once clients can be served.
 */
export interface PitayaModule {
  /** Prepare: connect, listen, load. */
  init?(): void | Promise<void>;
  /** Go live: runs once the acceptors are listening. */
  afterInit?(): void | Promise<void>;
  beforeShutdown?(): void | Promise<void>;
  shutdown?(): void | Promise<void>;
}

/** A module holding sessions: with session draining on, SIGTERM waits for its count to reach zero. */
export interface SessionModule extends PitayaModule {
  startSessionDraining(): void | Promise<void>;
  sessionCount(): number;
}

export function isSessionModule(module: PitayaModule): module is SessionModule {
  return typeof (module as SessionModule).startSessionDraining === 'function' && typeof (module as SessionModule).sessionCount === 'function';
}

/** Registered modules by name, in start order (Pitaya's `RegisterModule` / `GetModule`). */
@injectable('Singleton')
export class ModuleRegistry {
  private readonly entries: { name: string; module: PitayaModule }[] = [];
  private started = false;

  constructor(@Inject(LOGGER) private readonly log: Logger) {}

  /** Registers a module, last (default) or first in start order. Refused once the application runs. */
  register(name: string, module: PitayaModule, position: 'after' | 'before' = 'after'): void {
    if (this.started) throw new BootstrapError('INVALID_STATE', `module ${name} registered after start`);
    if (this.entries.some((e) => e.name === name)) throw new BootstrapError('DUPLICATE_MODULE', `module with name ${name} already exists`);
    if (position === 'before') this.entries.unshift({ name, module });
    else this.entries.push({ name, module });
  }

  get<T extends PitayaModule = PitayaModule>(name: string): T | undefined {
    return this.entries.find((e) => e.name === name)?.module as T | undefined;
  }

  names(): string[] {
    return this.entries.map((e) => e.name);
  }

  sessionModules(): SessionModule[] {
    return this.entries.map((e) => e.module).filter(isSessionModule);
  }

  /** Runs every `init`, in order; registration closes. */
  async init(): Promise<void> {
    this.started = true;
    await this.each('init');
  }

  /** Runs every `afterInit`, in order. */
  async afterInit(): Promise<void> {
    await this.each('afterInit');
  }

  private async each(phase: 'init' | 'afterInit'): Promise<void> {
    for (const { name, module } of this.entries) {
      try {
        await module[phase]?.();
      } catch (error) {
        throw new BootstrapError('PROVIDER_FAILED', `module ${name} failed to start (${phase}): ${(error as Error).message}`, { cause: error });
      }
    }
  }

  async beforeShutdown(): Promise<void> {
    await this.eachReversed('beforeShutdown');
  }

  async shutdown(): Promise<void> {
    await this.eachReversed('shutdown');
  }

  private async eachReversed(phase: 'beforeShutdown' | 'shutdown'): Promise<void> {
    for (const { name, module } of [...this.entries].reverse()) {
      try {
        await module[phase]?.();
      } catch (error) {
        this.log.error({ err: error, module: name }, `module ${phase} failed`);
      }
    }
  }
}
