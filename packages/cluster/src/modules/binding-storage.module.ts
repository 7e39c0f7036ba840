import { injectable } from 'inversify';
import { ErrorCode, Inject, LOGGER, PitayaError, SERVER_INFO, SessionPool, type Logger, type PitayaModule, type ServerIdentity } from '@pitaya-ts/core';
import type { EtcdBindingStorage } from './binding-storage';

/** Container token of the {@link EtcdBindingStorage} (absent when `bindingStorage: false`). */
export const BINDING_STORAGE = Symbol.for('pitaya-ts:BindingStorage');

/** Told that this frontend's binding of `uid` replaced the one of `previousFrontendId`. */
export type BindingMovedListener = (uid: string, previousFrontendId: string) => Promise<void>;

/**
 * Pitaya's binding storage module, wired: on a frontend every bind writes
 * `bindings/<type>/<uid>` → this server's id and every close removes it, so pushes, kicks and the
 * unique-session check find a user's frontend from any server.
 */
@injectable('Singleton')
export class BindingStorageModule implements PitayaModule {
  private readonly unsubscribe: (() => void)[] = [];
  private readonly movedListeners: BindingMovedListener[] = [];

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
        const previous = await storage.putBinding(uid);
        if (previous !== undefined && previous !== this.self.id) {
          for (const listener of this.movedListeners) await listener(uid, previous);
        }
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

  /**
   * Calls `listener` when a bind here took a uid over from another frontend (the previous holder
   * comes from the binding put itself). Returns the unsubscribe function.
   */
  onBindingMoved(listener: BindingMovedListener): () => void {
    this.movedListeners.push(listener);
    return () => {
      const at = this.movedListeners.indexOf(listener);
      if (at >= 0) this.movedListeners.splice(at, 1);
    };
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
