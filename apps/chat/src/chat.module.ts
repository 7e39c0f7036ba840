import { Module } from '@pitaya-ts/core';
import { RoomHandler } from './room.handler';

/** The chat server: one room handler; memory groups and everything else are the framework's defaults. */
@Module({ handlers: [RoomHandler] })
export class ChatModule {}
