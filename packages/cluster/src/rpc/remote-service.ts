import { injectable } from 'inversify';
import { SessionPool } from '@pitaya-ts/core';
import { MessageEncoder } from '@pitaya-ts/core/internal';
import type { BindMsg, KickAnswer, KickMsg, PitayaRequest, PitayaResponse, ProtoInit, ProtoPush } from '../protos/proto-types';
import { RemoteDispatcher } from './remote-dispatcher';

const ACK = Buffer.from('ack');

/** Told when a user binds on another frontend of the same type (unique session). */
export interface RemoteBindingListener {
  onUserBind(uid: string, frontendId: string): void | Promise<void>;
}

/** The four methods of `protos.Pitaya`, as this server answers them. */
@injectable('Singleton')
export class RemoteService {
  private readonly bindingListeners: RemoteBindingListener[] = [];

  constructor(
    private readonly dispatcher: RemoteDispatcher,
    private readonly pool: SessionPool,
    private readonly encoder: MessageEncoder,
  ) {}

  addBindingListener(listener: RemoteBindingListener): void {
    this.bindingListeners.push(listener);
  }

  /** `arrivedAt`: when a transport that queues requests received this one (see {@link RemoteDispatcher.call}). */
  call(request: PitayaRequest, arrivedAt = -1): Promise<ProtoInit<PitayaResponse>> {
    return this.dispatcher.call(request, arrivedAt);
  }

  /** Pushes to a user connected here; the push bytes are already serialized by the sender. */
  pushToUser(push: ProtoPush): Promise<ProtoInit<PitayaResponse>> {
    const session = this.pool.getByUid(push.uid);
    if (!session || !session.sendPacket(this.encoder.pushBytes(push.route, push.data))) {
      return Promise.reject(new Error('session not found'));
    }
    return Promise.resolve({ data: ACK });
  }

  async sessionBindRemote(message: BindMsg): Promise<ProtoInit<PitayaResponse>> {
    for (const listener of this.bindingListeners) await listener.onUserBind(message.uid, message.fid);
    return { data: ACK };
  }

  async kickUser(message: KickMsg): Promise<ProtoInit<KickAnswer>> {
    const session = this.pool.getByUid(message.userId);
    if (!session) throw new Error('session not found');
    await session.kick();
    return { kicked: true };
  }
}
