import { PitayaClient, type NodeClientOptions } from '@pitaya-ts/client/node';
import { CliError, oneLine } from '../errors';

/** Schemes `connect` understands. */
export const SCHEMES = ['ws', 'wss', 'tcp', 'tls'] as const;

/** Pitaya's order when an address has no scheme (repl/client.go): WebSocket over TLS, WebSocket, TCP over TLS, TCP. */
export const PITAYA_ORDER = ['wss', 'ws', 'tls', 'tcp'] as const;

/**
 * The URLs to try for an address: exactly the one given when it has a scheme, else `host:port` in
 * {@link PITAYA_ORDER}. Throws a {@link CliError} saying what to type for anything else.
 */
export function candidateUrls(address: string): string[] {
  const match = /^([a-z]+):\/\//i.exec(address);
  if (match) {
    const scheme = match[1]!.toLowerCase();
    if (!(SCHEMES as readonly string[]).includes(scheme)) {
      throw new CliError(`unknown scheme "${scheme}://": use ws://, wss://, tcp://, tls:// or just host:port`);
    }
    checkHostPort(address.slice(match[0].length).replace(/\/.*$/, ''), address);
    return [address];
  }
  checkHostPort(address, address);
  return PITAYA_ORDER.map((scheme) => `${scheme}://${address}`);
}

function checkHostPort(hostPort: string, address: string): void {
  const m = /^(\[[^\]]+\]|[^:/\s]+):(\d{1,5})$/.exec(hostPort);
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 65535) {
    throw new CliError(`"${address}" is not an address: write host:port (e.g. localhost:3250) or ws://host:port`);
  }
}

/**
 * Connects to the first URL that completes a Pitaya handshake. TLS certificates are not verified
 * (like pitaya-cli's InsecureSkipVerify): this is a developer tool pointed at test servers.
 */
export async function connectFirst(urls: readonly string[], options: NodeClientOptions): Promise<{ client: PitayaClient; url: string }> {
  const failures: string[] = [];
  for (const url of urls) {
    try {
      const client = await PitayaClient.connect(url, { ...options, tls: { rejectUnauthorized: false } });
      return { client, url };
    } catch (error) {
      failures.push(`${url.slice(0, url.indexOf(':'))}: ${oneLine(error)}`);
    }
  }
  const address = urls.length === 1 ? urls[0]! : urls[0]!.replace(/^[a-z]+:\/\//, '');
  throw new CliError(`could not connect to ${address} (${failures.join('; ')}); check the address and that the server is running`);
}
