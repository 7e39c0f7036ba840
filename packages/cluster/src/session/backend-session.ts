import { injectable } from 'inversify';
import { ErrorCode, PitayaError, SessionData, SessionPool, type Session } from '@pitaya-ts/core';
import { MessageEncoder } from '@pitaya-ts/core/internal';
import { decodeKickAnswer, encodeKickMsg, encodeSession } from '../protos/pitaya-codecs';
import { SysRoute } from '../remote/sys-routes';
import { RpcTransportClient } from '../rpc/rpc-transport';
import { SysCaller } from '../rpc/sys-caller';

/** What backend sessions share: gathered once so a session per forwarded request stays cheap. */
@injectable('Singleton')
export class BackendSessionServices {
  constructor(
    readonly sys: SysCaller,
    readonly rpc: RpcTransportClient,
    readonly encoder: MessageEncoder,
    readonly pool: SessionPool,
  ) {}
}

/**
 * The session of a forwarded request, on a backend: a copy of the frontend session (id, uid, data).
 * Changes reach the frontend only through `bind()` (which runs the frontend's bind callbacks too),
 * `pushToFront()` and `kick()`, which call the frontend's `sys` remotes exactly as Go Pitaya does, so
 * a Go frontend understands them. `id` is the frontend's session id (Go gives each request a new
 * local id instead; the frontend's is the useful one).
 */
export class BackendSession extends SessionData implements Session {
  readonly isFrontend = false;
  readonly remoteAddress = '';
  readonly handshake = undefined;
  uid: string | undefined;

  constructor(
    readonly id: number,
    uid: string,
    data: Uint8Array,
    readonly frontendId: string,
    private readonly services: BackendSessionServices,
  ) {
    super();
    this.uid = uid === '' ? undefined : uid;
    this.setEncodedData(data);
  }

  get frontendSessionId(): number {
    return this.id;
  }

  async bind(uid: string): Promise<void> {
    if (typeof uid !== 'string' || uid.length === 0) throw new Error('illegal uid');
    if (this.uid !== undefined) throw new Error('session is already bound to an uid');
    this.requireFrontend();
    this.uid = uid;
    try {
      await this.services.pool.runBindCallbacks(this);
      await this.services.sys.call(this.frontendId, SysRoute.BindSession, encodeSession({ id: this.id, uid }));
      await this.services.pool.runAfterBindCallbacks(this);
    } catch (error) {
      this.uid = undefined;
      throw error;
    }
  }

  async pushToFront(): Promise<void> {
    this.requireFrontend();
    await this.services.sys.call(this.frontendId, SysRoute.PushSession, encodeSession({ id: this.id, uid: this.uid ?? '', data: this.encodedDataBytes() }));
  }

  async kick(): Promise<void> {
    this.requireFrontend();
    const uid = this.requireUid();
    const answer = decodeKickAnswer(await this.services.sys.call(this.frontendId, SysRoute.Kick, encodeKickMsg({ userId: uid })));
    if (!answer.kicked) throw new PitayaError(ErrorCode.Unknown, 'session not found');
  }

  async push(route: string, body: unknown): Promise<void> {
    this.requireFrontend();
    const uid = this.requireUid();
    const encoder = this.services.encoder;
    const data = encoder.serialize(body, encoder.serializer.pushTypeOf?.(route));
    const response = await this.services.rpc.pushToUser(this.frontendId, { route, uid, data });
    if (response.error) throw new PitayaError(response.error.code || ErrorCode.Unknown, response.error.msg);
  }

  onClose(): void {
    throw new Error('onclose callbacks are not allowed on backend servers');
  }

  private requireFrontend(): void {
    if (!this.frontendId) throw new PitayaError(ErrorCode.Internal, 'this session has no frontend (a user RPC carries no client session)');
  }

  private requireUid(): string {
    if (this.uid === undefined) throw new PitayaError(ErrorCode.Internal, 'you have to bind an UID to the session to do that');
    return this.uid;
  }
}
