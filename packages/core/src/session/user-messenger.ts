/**
 * Pushes and kicks addressed by user id, wherever the user is connected.
 *
 * Core binds a local implementation (sessions of this process only); the cluster package rebinds
 * {@link USER_MESSENGER} to one that reaches other frontends over RPC. Both serialize and frame a
 * push once for all of its local recipients.
 */
export interface UserMessenger {
  /**
   * Pushes `route` with `body` to each uid. `frontendType` names the server type the users are
   * connected to (cluster mode; defaults to this server's type). Resolves with the uids that failed.
   */
  pushToUsers(route: string, body: unknown, uids: readonly string[], frontendType?: string): Promise<string[]>;
  /** Kicks each uid (kick packet, then close). Resolves with the uids that failed. */
  kickUsers(uids: readonly string[], frontendType?: string): Promise<string[]>;
}

/** Container token of the {@link UserMessenger} implementation. */
export const USER_MESSENGER = Symbol.for('pitaya-ts:UserMessenger');
