/**
 * `@pitaya-ts/client/node`: everything from the browser entry, plus `tcp://` and `tls://` URLs and
 * WebSocket defaulting to the `ws` package.
 */
import type { ConnectionOptions } from 'node:tls';
import WebSocket from 'ws';
import type { ClientOptions } from './client-options';
import { openTcpTransport, parseHostPort } from './node/tcp-transport';
import { PitayaClient as BrowserPitayaClient } from './pitaya-client';
import type { Transport, TransportHandlers } from './transport/transport';

export * from './index';

/** {@link ClientOptions} plus TLS options for `tls://` and `wss://` URLs (e.g. `ca`, `rejectUnauthorized`). */
export interface NodeClientOptions extends ClientOptions {
  tls?: ConnectionOptions;
}

/** {@link BrowserPitayaClient} that also speaks TCP/TLS and uses `ws` for WebSocket by default. */
export class PitayaClient extends BrowserPitayaClient {
  /** Like the browser `connect`, plus `tcp://host:port` and `tls://host:port`. */
  static override connect(url: string, options: NodeClientOptions = {}): Promise<PitayaClient> {
    return super.connect(url, options) as Promise<PitayaClient>;
  }

  /** `tcp://` and `tls://` go to the TCP transport; WebSocket URLs to the browser one, with `ws` by default. */
  protected static override openTransport(
    url: string,
    options: NodeClientOptions,
    handlers: TransportHandlers,
    signal: AbortSignal,
  ): Promise<Transport> {
    const scheme = url.slice(0, url.indexOf(':')).toLowerCase();
    if (scheme === 'tcp' || scheme === 'tls') {
      const target = { ...parseHostPort(url), tls: scheme === 'tls' ? (options.tls ?? {}) : undefined };
      return openTcpTransport(target, handlers, signal);
    }
    return super.openTransport(url, { ...options, WebSocket: options.WebSocket ?? webSocketWith(options.tls) }, handlers, signal);
  }
}

/** The `ws` constructor, with TLS options applied to `wss://` connections when given. */
function webSocketWith(tls: ConnectionOptions | undefined): typeof WebSocket {
  if (!tls) return WebSocket;
  return class extends WebSocket {
    constructor(address: string | URL, protocols?: string | string[]) {
      super(address, protocols, tls);
    }
  } as typeof WebSocket;
}
