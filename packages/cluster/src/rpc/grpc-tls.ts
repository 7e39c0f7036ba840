import { readFileSync } from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import type { GrpcClientTlsConfig, GrpcServerTlsConfig } from '../cluster-config';

/** PEM text as given, or the content of the file it names. */
function pem(value: string, what: string): Buffer {
  if (value.includes('-----BEGIN')) return Buffer.from(value);
  try {
    return readFileSync(value);
  } catch (e) {
    throw new Error(`cannot read the gRPC TLS ${what} from ${value}: ${(e as Error).message}`, { cause: e });
  }
}

/** The gRPC server's credentials: TLS when a certificate is configured (mTLS with a CA), else insecure. */
export function serverCredentials(tls: GrpcServerTlsConfig): grpc.ServerCredentials {
  if (!tls.cert && !tls.key) {
    if (tls.ca) throw new Error('cluster.rpc.server.grpc.tls.ca needs tls.cert and tls.key');
    return grpc.ServerCredentials.createInsecure();
  }
  if (!tls.cert || !tls.key) throw new Error('cluster.rpc.server.grpc.tls needs both cert and key');
  const ca = tls.ca ? pem(tls.ca, 'CA') : null;
  return grpc.ServerCredentials.createSsl(ca, [{ cert_chain: pem(tls.cert, 'certificate'), private_key: pem(tls.key, 'key') }], ca !== null && tls.requireClientCert);
}

/** The gRPC client's credentials and channel options: TLS when a CA is configured, else insecure. */
export function clientCredentials(tls: GrpcClientTlsConfig): { credentials: grpc.ChannelCredentials; options: grpc.ChannelOptions } {
  if (!tls.ca) {
    if (tls.cert || tls.key) throw new Error('cluster.rpc.client.grpc.tls.cert/key need tls.ca (the CA of the servers)');
    return { credentials: grpc.credentials.createInsecure(), options: {} };
  }
  if (Boolean(tls.cert) !== Boolean(tls.key)) throw new Error('cluster.rpc.client.grpc.tls needs both cert and key, or neither');
  const credentials = grpc.credentials.createSsl(
    pem(tls.ca, 'CA'),
    tls.key ? pem(tls.key, 'client key') : null,
    tls.cert ? pem(tls.cert, 'client certificate') : null,
  );
  return { credentials, options: tls.serverName ? { 'grpc.ssl_target_name_override': tls.serverName, 'grpc.default_authority': tls.serverName } : {} };
}
