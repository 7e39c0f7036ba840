import { Context, PitayaError, Remote, Route } from '@pitaya-ts/core';

interface TestRequest { msg: string }
interface TestResponse { code: number; msg: string }

const PROTO = { requestType: 'test.TestRequest', responseType: 'test.TestResponse' } as const;

/** Remotes of Pitaya's `TestRemoteSvc`: protobuf in and out, like Go remotes. */
@Remote({ name: 'testremotesvc', nameTransform: (m) => m.toLowerCase() })
export class TestRemoteSvc {
  @Route(PROTO)
  rpcTestRawPtrReturnsPtr(_ctx: Context, body: TestRequest): TestResponse {
    return { code: 200, msg: `got ${body.msg}` };
  }

  @Route(PROTO)
  rpcTestPtrReturnsPtr(_ctx: Context, body: TestRequest): TestResponse {
    return { code: 200, msg: `got ${body.msg}` };
  }

  @Route(PROTO)
  rpcTestReturnsError(): never {
    throw new PitayaError('PIT-433', 'test error', { some: 'meta' });
  }

  @Route({ responseType: PROTO.responseType })
  rpcTestNoArgs(): TestResponse {
    return { code: 200, msg: 'got nothing' };
  }
}
