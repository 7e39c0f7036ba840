import { networkInterfaces } from 'node:os';
import type { ServerInfo } from '../server-info';

/** Server metadata keys of the gRPC address (Pitaya's `constants.GRPCHostKey` & co). */
export const GrpcMetadataKey = {
  Host: 'grpcHost',
  Port: 'grpcPort',
  ExternalHost: 'grpc-external-host',
  ExternalPort: 'grpc-external-port',
  Region: 'region',
} as const;

function join(host: string | undefined, port: string | undefined): string | undefined {
  if (!host || !port) return undefined;
  return host.includes(':') && !host.startsWith('[') ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * Where to dial a server, by Pitaya's rules (`getServerHost`): without a region, the external
 * address when advertised, else the internal one; with a region, the internal address in the same
 * region (or when there is no external one), else the external. `undefined` when none is advertised.
 */
export function grpcAddressOf(server: ServerInfo, ownRegion: string): string | undefined {
  const m = server.metadata;
  const internal = join(m[GrpcMetadataKey.Host], m[GrpcMetadataKey.Port]);
  const external = join(m[GrpcMetadataKey.ExternalHost], m[GrpcMetadataKey.ExternalPort]);
  const region = m[GrpcMetadataKey.Region];
  if (!region) return external ?? internal;
  return region === ownRegion || !external ? internal : external;
}

/** This machine's first non-internal IPv4 address, for advertising; loopback when there is none. */
export function defaultAdvertisedHost(): string {
  for (const addresses of Object.values(networkInterfaces())) {
    for (const address of addresses ?? []) {
      if (address.family === 'IPv4' && !address.internal) return address.address;
    }
  }
  return '127.0.0.1';
}
