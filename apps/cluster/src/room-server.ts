import { Module, Pitaya } from '@pitaya-ts/core';
import { CHAT_SETTINGS, RoomHandler } from '@pitaya-ts/chat';
import { clusterModule, observabilityModule } from './cluster-options';
import { RoomRemote } from './room.remote';

/** The room backend: the chat's RoomHandler, unchanged, on server type `room` (routes `room.room.*`). */
@Module({
  imports: [clusterModule(), observabilityModule()],
  handlers: [RoomHandler],
  remotes: [RoomRemote],
  providers: [{ provide: CHAT_SETTINGS, useValue: { frontendType: 'connector' } }],
})
class RoomServerModule {}

async function main(): Promise<void> {
  const app = await Pitaya.create(RoomServerModule, { serverType: 'room', frontend: false });
  app.enableShutdownHooks();
  await app.start();
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
