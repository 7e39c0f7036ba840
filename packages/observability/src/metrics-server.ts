import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the metrics HTTP server serves. */
export interface MetricsEndpoints {
  /** The Prometheus exposition, when the Prometheus reporter is on. */
  readonly metrics?: () => Promise<{ contentType: string; body: string }>;
  /** Why the server is not ready; empty when it is. */
  readonly notReadyReasons: () => string[];
}

/**
 * The HTTP server of `:<pitaya.metrics.prometheus.port>`: `/metrics` (Prometheus), `/healthz` and
 * `/livez` (liveness: the process answers), `/readyz` (readiness: 200 once the acceptors listen and
 * the server is registered in discovery, 503 with the reasons otherwise, and again while draining),
 * as Kubernetes probes expect. Anything else is 404; connections are capped.
 */
export class MetricsHttpServer {
  private server: Server | undefined;

  constructor(private readonly endpoints: MetricsEndpoints) {}

  /** Listens; rejects with the listen error (e.g. `EADDRINUSE`). */
  listen(port: number, host: string): Promise<AddressInfo> {
    const server = createServer((req, res) => this.handle(req, res));
    server.maxConnections = 64;
    server.headersTimeout = 10_000;
    server.requestTimeout = 10_000;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen({ port, host: host || undefined }, () => {
        server.off('error', reject);
        this.server = server;
        resolve(server.address() as AddressInfo);
      });
    });
  }

  close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return Promise.resolve();
    return new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '/').split('?', 1)[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') return reply(res, 405, 'text/plain', 'method not allowed\n');
    switch (path) {
      case '/metrics': {
        const metrics = this.endpoints.metrics;
        if (!metrics) return reply(res, 404, 'text/plain', 'the prometheus reporter is off\n');
        metrics().then(
          ({ contentType, body }) => reply(res, 200, contentType, body),
          () => reply(res, 500, 'text/plain', 'could not collect metrics\n'),
        );
        return;
      }
      case '/healthz':
      case '/livez':
        return reply(res, 200, 'text/plain', 'ok\n');
      case '/readyz': {
        const reasons = this.endpoints.notReadyReasons();
        return reply(res, reasons.length === 0 ? 200 : 503, 'application/json', JSON.stringify({ ready: reasons.length === 0, reasons }) + '\n');
      }
      default:
        return reply(res, 404, 'text/plain', 'not found\n');
    }
  }
}

function reply(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}
