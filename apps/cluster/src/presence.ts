import { Inject, Injectable, LOGGER, RPC_CLIENT, SessionPool, type Logger, type OnInit, type RpcClient } from '@pitaya-ts/core';

/**
 * On the connector: backends cannot watch connections, so when a bound session closes the room
 * backend is told (`room.room.leave`), the way a Pitaya frontend reports disconnects.
 */
@Injectable()
export class Presence implements OnInit {
  constructor(
    private readonly pool: SessionPool,
    @Inject(RPC_CLIENT) private readonly rpc: RpcClient,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  onInit(): void {
    this.pool.onSessionClose(async (session) => {
      if (session.uid === undefined) return;
      await this.rpc.call('room.room.leave', { uid: session.uid }).catch((error: unknown) =>
        this.log.warn({ err: error, uid: session.uid }, 'could not tell the room that a user left'));
    });
  }
}
