import { ProtocolError, decodeFrame } from '@pitaya-ts/protocol';
import type { Transport, TransportHandlers } from './transport';

/** The part of a WebSocket event the transport reads (DOM and `ws` events both fit). */
export interface WebSocketEventLike {
  readonly type: string;
  readonly data?: unknown;
  readonly code?: number;
  readonly reason?: string;
  readonly message?: string;
}

/** The part of the WebSocket API the transport uses: the browser's and the `ws` package's both fit. */
export interface WebSocketLike {
  binaryType: string;
  readonly readyState: number;
  send(data: Uint8Array<ArrayBuffer>): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'open' | 'close' | 'error' | 'message', listener: (event: WebSocketEventLike) => void): void;
}

/** A WebSocket constructor such as `globalThis.WebSocket` or the `ws` package's default export. */
export type WebSocketConstructorLike = new (url: string) => WebSocketLike;

const OPEN = 1;
const NORMAL_CLOSURE = 1000;

/** Opens a WebSocket that carries one packet per binary message, both ways (Pitaya's rule). */
export function openWebSocketTransport(
  url: string,
  WebSocketImpl: WebSocketConstructorLike,
  handlers: TransportHandlers,
  signal: AbortSignal,
): Promise<Transport> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocketImpl(url);
    ws.binaryType = 'arraybuffer';
    let opened = false;
    let failure: string | undefined; // why we closed it, reported instead of the close code
    let onClosed: () => void = () => undefined;
    const closed = new Promise<void>((done) => (onClosed = done));

    const fail = (reason: string): void => {
      failure ??= reason;
      ws.close(NORMAL_CLOSURE);
    };
    signal.addEventListener('abort', () => fail('connect aborted'), { once: true });

    ws.addEventListener('open', () => {
      if (signal.aborted) return;
      opened = true;
      resolve({
        send(packet) {
          if (ws.readyState !== OPEN) throw new Error('WebSocket is not open');
          ws.send(packet as Uint8Array<ArrayBuffer>); // packets we send are always fresh ArrayBuffer-backed arrays
        },
        close() {
          ws.close(NORMAL_CLOSURE);
          return closed;
        },
      });
    });
    ws.addEventListener('error', (e) => {
      failure ??= `WebSocket error${e.message ? `: ${e.message}` : ''}`;
    });
    ws.addEventListener('close', (e) => {
      onClosed();
      const reason = failure ?? `WebSocket closed (code ${e.code ?? 'unknown'}${e.reason ? `, ${e.reason}` : ''})`;
      if (opened) handlers.onClose(reason);
      else reject(new Error(`WebSocket connection to ${url} failed: ${reason}`));
    });
    ws.addEventListener('message', (e) => {
      if (failure !== undefined) return;
      const frame = toBytes(e.data);
      if (frame === undefined) return fail('protocol error: text WebSocket message (Pitaya sends binary only)');
      let packet;
      try {
        packet = decodeFrame(frame);
      } catch (err) {
        if (!(err instanceof ProtocolError)) throw err;
        return fail(`protocol error: ${err.message}`);
      }
      handlers.onPacket(packet.type, packet.body);
    });
  });
}

function toBytes(data: unknown): Uint8Array | undefined {
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (data instanceof Uint8Array) return data; // `ws` with binaryType 'nodebuffer'
  return undefined;
}
