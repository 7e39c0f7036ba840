import { Context, createLogger, Handler, Route, Module, Pitaya, tcp, ws } from '@pitaya-ts/core';
import { PitayaClient } from '@pitaya-ts/client/node';
import { selfSignedCertificate } from '@pitaya-ts/testing';

@Handler('svc')
class SvcHandler {
  @Route()
  echo(_ctx: Context, body: unknown): unknown {
    return body;
  }
}
@Module({ handlers: [SvcHandler] })
class AppModule {}

describe('TLS acceptors', () => {
  it('serves tls:// and wss:// (the WSS acceptor starts: Pitaya issue #488)', async () => {
    const { key, cert } = selfSignedCertificate();
    const app = await Pitaya.create(AppModule, {
      serverType: 'connector',
      acceptors: [tcp({ port: 0, host: '127.0.0.1', tls: { key, cert } }), ws({ port: 0, host: '127.0.0.1', tls: { key, cert } })],
      logger: createLogger({ level: 'silent' }),
      env: {},
    });
    await app.start();
    try {
      const [tlsPort, wssPort] = app.listening.map((a) => a.port);
      const overTls = await PitayaClient.connect(`tls://127.0.0.1:${tlsPort}`, { tls: { ca: cert } });
      expect(await overTls.request('connector.svc.echo', { over: 'tls' })).toEqual({ over: 'tls' });
      await overTls.close();
      const overWss = await PitayaClient.connect(`wss://localhost:${wssPort}`, { tls: { ca: cert } });
      expect(await overWss.request('connector.svc.echo', { over: 'wss' })).toEqual({ over: 'wss' });
      await overWss.close();
    } finally {
      await app.close();
    }
  });
});
