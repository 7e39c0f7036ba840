import { readFileSync } from 'node:fs';

/** TLS material for an acceptor: PEM strings/buffers, or file paths read once at start-up. */
export interface TlsOptions {
  readonly cert?: string | Buffer;
  readonly key?: string | Buffer;
  readonly certFile?: string;
  readonly keyFile?: string;
}

/** Resolves certificate and key; throws naming what is missing. */
export function loadTls(options: TlsOptions): { cert: string | Buffer; key: string | Buffer } {
  const cert = options.cert ?? (options.certFile ? readFileSync(options.certFile) : undefined);
  const key = options.key ?? (options.keyFile ? readFileSync(options.keyFile) : undefined);
  if (!cert || !key) throw new Error('TLS needs both a certificate and a key (cert/key or certFile/keyFile)');
  return { cert, key };
}
