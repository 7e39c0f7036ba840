import type { Connection } from './acceptor';

/** Hands `packets` to `connection` in order: in one {@link Connection.writeMany} when it has one, else one write each. */
export function writeEach(connection: Connection, packets: readonly Uint8Array[]): void {
  if (connection.writeMany !== undefined) {
    connection.writeMany(packets);
    return;
  }
  for (let i = 0; i < packets.length; i++) connection.write(packets[i]!);
}
