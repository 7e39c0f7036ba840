import WebSocket from 'ws';
import { PacketType, encodePacket, HEARTBEAT_PACKET } from '@pitaya-ts/protocol';
import { PitayaClient, type WebSocketConstructorLike } from '@pitaya-ts/client';
import { TestServer } from '../support/test-server';

let server: TestServer;
beforeEach(async () => {
  server = await new TestServer().start();
});
afterEach(() => server.stop());

describe('WebSocket transport (browser entry)', () => {
  test('uses the WebSocket constructor given in options', async () => {
    const urls: string[] = [];
    class RecordingWebSocket extends WebSocket {
      constructor(url: string) {
        super(url);
        urls.push(url);
      }
    }
    const client = await PitayaClient.connect(server.url('ws') + '/any/path', { WebSocket: RecordingWebSocket });
    expect(urls).toEqual([server.url('ws') + '/any/path']);
    await client.close();
  });

  test('without options.WebSocket it needs globalThis.WebSocket', async () => {
    const saved = Object.getOwnPropertyDescriptor(globalThis, 'WebSocket');
    Object.defineProperty(globalThis, 'WebSocket', { value: undefined, configurable: true, writable: true });
    try {
      await expect(PitayaClient.connect(server.url('ws'))).rejects.toThrow(/no WebSocket implementation/);
    } finally {
      if (saved) Object.defineProperty(globalThis, 'WebSocket', saved);
      else delete (globalThis as { WebSocket?: unknown }).WebSocket;
    }
  });

  test('the browser entry refuses tcp:// and points to the node entry', async () => {
    await expect(PitayaClient.connect(server.url('tcp'), { WebSocket })).rejects.toThrow(/@pitaya-ts\/client\/node/);
  });

  test.each([
    ['a text message', 'hello', /text WebSocket message/],
    ['two packets coalesced in one message', new Uint8Array([...HEARTBEAT_PACKET, ...HEARTBEAT_PACKET]), /protocol error: .*one packet per WebSocket message/],
    ['a bad packet type', Uint8Array.of(9, 0, 0, 0), /protocol error: invalid packet type/],
  ])('%s closes the connection with a protocol error', async (_name, frame, reason) => {
    const client = await PitayaClient.connect(server.url('ws'), { WebSocket });
    const closed = new Promise<string>((resolve) => client.onClose(resolve));
    const conn = await server.connection();
    conn.sendUnframed(frame);
    expect(await closed).toMatch(reason);
    expect(client.connected).toBe(false);
  });

  test('each packet travels in its own binary message', async () => {
    const client = await PitayaClient.connect(server.url('ws'), { WebSocket: WebSocket as WebSocketConstructorLike });
    const conn = await server.connection();
    conn.send(encodePacket(PacketType.Heartbeat));
    client.notify('a.b.c', { n: 1 });
    client.notify('a.b.c', { n: 2 });
    // the test server decodes every WebSocket message with decodeFrame, which refuses coalesced packets
    let n = 0;
    await conn.waitFor((r) => r.kind === 'message' && ++n === 2);
    await client.close();
  });
});
