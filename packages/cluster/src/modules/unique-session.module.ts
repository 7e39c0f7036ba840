import { injectable } from 'inversify';
import { Inject, LOGGER, PITAYA_CONFIG, SERVER_INFO, SessionPool, type Logger, type PitayaConfig, type PitayaModule, type ServerIdentity, type Session } from '@pitaya-ts/core';
import { RpcTransportClient } from '../rpc/rpc-transport';
import { RemoteService, type RemoteBindingListener } from '../rpc/remote-service';
import { BindingStorageModule } from './binding-storage.module';

/**
 * Pitaya's unique session module: a uid lives in one session per frontend type. When a uid binds,
 * a local session holding it is kicked, and the frontend of the same type that held it (gRPC: the
 * previous value of this frontend's binding put, so a bind costs no extra etcd read; over NATS every frontend of the type, through its bindings subject,
 * as Pitaya does) is told to kick its session. Unlike Go Pitaya (#463), a kick that
 * fails never blocks the new login: the old session is closed instead, and remote failures are logged.
 */
@injectable('Singleton')
export class UniqueSessionModule implements PitayaModule, RemoteBindingListener {
  private readonly unsubscribe: (() => void)[] = [];

  constructor(
    private readonly pool: SessionPool,
    private readonly remote: RemoteService,
    private readonly rpc: RpcTransportClient,
    private readonly bindings: BindingStorageModule,
    @Inject(SERVER_INFO) private readonly self: ServerIdentity,
    @Inject(PITAYA_CONFIG) private readonly config: PitayaConfig,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  init(): void {
    if (!this.self.frontend || !this.config.session.unique) return;
    this.unsubscribe.push(this.pool.onSessionBind((session) => this.onBind(session)));
    // gRPC: the previous holder comes back from this frontend's binding put (no read of its own).
    if (!this.rpc.broadcastSessionBind) this.unsubscribe.push(this.bindings.onBindingMoved((uid, holder) => this.tellPrevious(uid, holder)));
    this.remote.addBindingListener(this);
  }

  shutdown(): void {
    for (const off of this.unsubscribe.splice(0)) off();
  }

  /** Another frontend bound `uid`: drop ours. */
  async onUserBind(uid: string, frontendId: string): Promise<void> {
    if (frontendId === this.self.id) return;
    await this.kickLocal(uid, undefined);
  }

  private async onBind(session: Session): Promise<void> {
    const uid = session.uid!;
    await this.kickLocal(uid, session);
    await this.rpc.broadcastSessionBind?.(uid).catch((error: unknown) =>
      this.log.warn({ err: error, uid }, 'could not tell the other frontends to drop the user'));
  }

  /** The frontend that held `uid` until this bind drops its session. */
  private async tellPrevious(uid: string, holder: string): Promise<void> {
    await this.rpc.sessionBindRemote(holder, { uid, fid: this.self.id }).catch((error: unknown) =>
      this.log.warn({ err: error, uid, frontend: holder }, 'could not tell the previous frontend to drop the user'),
    );
  }

  private async kickLocal(uid: string, keep: Session | undefined): Promise<void> {
    const old = this.pool.getByUid(uid);
    if (!old || old === keep) return;
    try {
      await old.kick();
    } catch {
      old.close('replaced by a newer session');
    }
  }
}
