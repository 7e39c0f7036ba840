export { ChatModule } from './chat.module';
export { CHAT_SETTINGS, RoomHandler, type ChatSettings } from './room.handler';
export { JoinResponse, MembersPush, NewUserPush, RoomService, UserMessage, type ChatApi } from './room.contract';
export { createWebServer } from './web-server';
