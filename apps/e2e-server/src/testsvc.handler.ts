import { randomUUID } from 'node:crypto';
import {
  Context, GROUPS, Handler, Inject, Notify, PitayaError, RPC_CLIENT, Route, SERVER_INFO, SessionPool, USER_MESSENGER,
  type Groups, type OnInit, type RpcClient, type ServerIdentity, type UserMessenger,
} from '@pitaya-ts/core';

interface TestRequest { msg: string }
interface TestResponse { code: number; msg: string }
interface TestRpcRequest { route: string; data?: string }
interface TestSendToUsers { uids: string[]; msg: string }

const PROTO = { requestType: 'test.TestRequest', responseType: 'test.TestResponse' } as const;

/** Handlers of Pitaya's `TestSvc` (examples/testing/main.go), same names, same answers. */
@Handler({ name: 'testsvc', nameTransform: (m) => m.toLowerCase() })
export class TestSvc implements OnInit {
  constructor(
    @Inject(GROUPS) private readonly groups: Groups,
    @Inject(USER_MESSENGER) private readonly messenger: UserMessenger,
    @Inject(RPC_CLIENT) private readonly rpc: RpcClient,
    private readonly pool: SessionPool,
    @Inject(SERVER_INFO) private readonly server: ServerIdentity,
  ) {}

  async onInit(): Promise<void> {
    // With etcd groups, another server may have created it already.
    await this.groups.create('g1').catch((error: Error) => {
      if (error.message !== 'group already exists') throw error;
    });
  }

  @Route({ raw: true })
  async testRequestKickUser(_ctx: Context, userId: Uint8Array): Promise<TestResponse> {
    const session = this.pool.getByUid(Buffer.from(userId).toString());
    if (!session) throw new PitayaError('PIT-404', 'session not found');
    await session.kick();
    return { code: 200, msg: 'ok' };
  }

  @Route()
  async testRequestKickMe(ctx: Context): Promise<TestResponse> {
    await ctx.session.kick();
    return { code: 200, msg: 'ok' };
  }

  @Route()
  testRequestOnlySessionReturnsPtr(): TestResponse {
    return { code: 200, msg: 'hello' };
  }

  @Route()
  testRequestOnlySessionReturnsPtrNil(): null {
    return null;
  }

  @Route()
  testRequestOnlySessionReturnsRawNil(): null {
    return null;
  }

  @Route()
  testRequestReturnsPtr(_ctx: Context, body: TestRequest): TestResponse {
    return { code: 200, msg: body.msg };
  }

  @Route()
  testRequestReturnsRaw(_ctx: Context, body: TestRequest): Uint8Array {
    return Buffer.from(body.msg);
  }

  @Route({ raw: true })
  testRequestReceiveReturnsRaw(_ctx: Context, body: Uint8Array): Uint8Array {
    return body;
  }

  @Route({ raw: true })
  testRequestReturnsError(): never {
    throw new PitayaError('PIT-555', 'somerror');
  }

  @Route()
  async testBind(ctx: Context): Promise<Uint8Array> {
    return this.bindAndJoin(ctx, randomUUID());
  }

  @Route({ raw: true })
  async testBindId(ctx: Context, uid: Uint8Array): Promise<Uint8Array> {
    return this.bindAndJoin(ctx, Buffer.from(uid).toString());
  }

  @Notify({ raw: true })
  async testSendGroupMsg(_ctx: Context, body: Uint8Array): Promise<void> {
    await this.groups.broadcast('g1', 'route.test', body, { frontendType: 'connector' });
  }

  @Notify()
  async testSendGroupMsgPtr(_ctx: Context, body: TestRequest): Promise<void> {
    await this.groups.broadcast('g1', 'route.testptr', body, { frontendType: 'connector' });
  }

  @Notify()
  async testSendToUsers(_ctx: Context, body: TestSendToUsers): Promise<void> {
    await this.messenger.pushToUsers('route.sendtousers', Buffer.from(body.msg), body.uids, 'connector');
  }

  @Route()
  testSendRpc(_ctx: Context, body: TestRpcRequest): Promise<TestResponse> {
    return this.rpc.call<TestResponse>(body.route, { msg: body.data ?? '' }, PROTO);
  }

  @Route()
  testSendRpcNoArgs(_ctx: Context, body: TestRpcRequest): Promise<TestResponse> {
    return this.rpc.call<TestResponse>(body.route, undefined, { responseType: PROTO.responseType });
  }

  // Not in Pitaya's server: used by the routing, kick and fault tests.

  /** Kicks users wherever they are (`SendKickToUsers`); answers the uids not kicked. */
  @Route()
  async kickUsers(_ctx: Context, body: { uids: string[] }): Promise<{ failed: string[] }> {
    return { failed: await this.messenger.kickUsers(body.uids, 'connector') };
  }

  /** Which server handled the request. */
  @Route()
  serverId(): { id: string } {
    return { id: this.server.id };
  }

  /** Answers after `ms` milliseconds (a request in flight). */
  @Route()
  async sleep(_ctx: Context, body: { ms: number }): Promise<{ slept: number }> {
    await new Promise((resolve) => setTimeout(resolve, Math.min(body.ms, 30_000)));
    return { slept: body.ms };
  }

  private async bindAndJoin(ctx: Context, uid: string): Promise<Uint8Array> {
    try {
      await ctx.session.bind(uid);
    } catch (error) {
      throw PitayaError.wrap(error, 'PIT-444');
    }
    try {
      await this.groups.add('g1', uid);
    } catch (error) {
      throw PitayaError.wrap(error, 'PIT-441');
    }
    return Buffer.from('ack');
  }
}
