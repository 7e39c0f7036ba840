export { ChatModule } from './chat.module';
export { CHAT_SETTINGS, RoomHandler, type ChatSettings, type JoinResponse, type UserMessage } from './room.handler';
export { createWebServer } from './web-server';
