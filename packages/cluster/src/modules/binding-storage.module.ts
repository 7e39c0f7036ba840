import { injectable } from 'inversify';
import { ErrorCode, Inject, LOGGER, PitayaError, SERVER_INFO, SessionPool, type Logger, type PitayaModule, type ServerIdentity } from '@pitaya-ts/core';
import type { EtcdBindingStorage } from './binding-storage';

/** Container token of the {@link EtcdBindingStorage} (absent when `bindingStorage: false`). */
export const BINDING_STORAGE = Symbol.for('pitaya-ts:BindingStorage');

/**
 * Pitaya's binding storage module, wired: on a frontend every bind writes
 * `bindings/<type>/<uid>` → this server's id and every close removes it, so pushes, kicks and the
 * unique-session check find a user's frontend from any server.
 */
@injectable('Singleton')
export class BindingStorageModule implements PitayaModule {
  private readonly unsubscribe: (() => void)[] = [];

  constructor(
    @Inject(BINDING_STORAGE) private readonly storage: EtcdBindingStorage | null,
    private readonly pool: SessionPool,
    @Inject(SERVER_INFO) private readonly self: ServerIdentity,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  get enabled(): boolean {
    return this.storage !== null;
  }

  async init(): Promise<void> {
    if (!this.storage) return;
    await this.storage.start();
    if (!this.self.frontend) return;
    const storage = this.storage;
    this.unsubscribe.push(
      this.pool.onAfterSessionBind(async (session) => {
        const uid = session.uid!;
        await storage.putBinding(uid);
        // A connection that closed while the put was in flight ran its removal first: undo the put
        // unless a newer session holds the uid by now.
        if ((session as { closed?: boolean }).closed === true && this.pool.getByUid(uid) === undefined) {
          await storage.removeBinding(uid).catch((error: unknown) => this.log.warn({ err: error, uid }, 'could not remove a binding'));
        }
      }),
      this.pool.onSessionClose(async (session) => {
        if (session.uid === undefined) return;
        await storage.removeBinding(session.uid).catch((error: unknown) => this.log.warn({ err: error, uid: session.uid }, 'could not remove a binding'));
      }),
    );
  }

  async shutdown(): Promise<void> {
    for (const off of this.unsubscribe.splice(0)) off();
    await this.storage?.stop();
  }

  /** The id of the frontend of `frontendType` holding `uid`; rejects when unknown. */
  getUserFrontendId(uid: string, frontendType: string): Promise<string> {
    if (!this.storage) return Promise.reject(noStorage());
    return this.storage.getUserFrontendId(uid, frontendType);
  }

  /** The frontend of each uid (`undefined`: not bound), from the watched cache where it can (see {@link EtcdBindingStorage.frontendsOf}). */
  frontendsOf(uids: readonly string[], frontendType: string): Promise<(string | undefined)[]> {
    if (!this.storage) return Promise.reject(noStorage());
    return this.storage.frontendsOf(uids, frontendType);
  }

  /** `uid`'s frontend read from etcd now (`undefined`: not bound). */
  readFrontendId(uid: string, frontendType: string): Promise<string | undefined> {
    if (!this.storage) return Promise.reject(noStorage());
    return this.storage.readFrontendId(uid, frontendType);
  }
}

function noStorage(): PitayaError {
  return new PitayaError(ErrorCode.Unknown,
    'for sending remote pushes or using unique session module while using grpc you need to pass it a BindingStorage');
}
