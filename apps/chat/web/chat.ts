// The chat page: the same flow as Pitaya's demo page (room.join, then room.message notifies), through
// the pitaya-ts browser client typed with the server's contract: a wrong route, body or push name
// here fails `npm test`'s type check. Bundled into chat.js by scripts/build.js (esbuild).
import { createTypedClient, PitayaClient } from '@pitaya-ts/client';
import type { ChatApi } from '../src/room.contract';

interface ChatPageSettings {
  readonly wsPort?: number;
  /** `room` when the room runs on a backend of that type (apps/cluster); `chat` standalone. */
  readonly serverType?: 'chat' | 'room';
}

const settings: ChatPageSettings = (window as unknown as { CHAT_SETTINGS?: ChatPageSettings }).CHAT_SETTINGS ?? {};
const type = settings.serverType ?? 'chat';
const routes = type === 'room'
  ? { join: 'room.room.join', message: 'room.room.message' } as const
  : { join: 'chat.room.join', message: 'chat.room.message' } as const;

const byId = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const list = byId<HTMLUListElement>('messages');
const status = byId<HTMLSpanElement>('status');
const nickname = byId<HTMLInputElement>('nickname');
const content = byId<HTMLInputElement>('content');
const send = byId<HTMLButtonElement>('send');
nickname.value = `guest${String(Date.now()).slice(-5)}`;

function show(name: string, text: string, system: boolean): void {
  const item = document.createElement('li');
  if (system) item.className = 'system';
  const who = document.createElement('span');
  who.className = 'name';
  who.textContent = `[${name}]`;
  item.appendChild(who);
  item.appendChild(document.createTextNode(text));
  list.appendChild(item);
  list.scrollTop = list.scrollHeight;
}

function setStatus(text: string, kind: string): void {
  status.textContent = text;
  status.className = `status ${kind}`;
}

async function start(): Promise<void> {
  const url = `${location.protocol === 'https:' ? 'wss://' : 'ws://'}${location.hostname}:${settings.wsPort ?? 3250}/pitaya`;
  const client = createTypedClient<ChatApi>(await PitayaClient.connect(url));
  setStatus('online', 'online');
  client.on('onMembers', (data) => show('system', `members: ${data.members.join(', ')}`, true));
  client.on('onNewUser', (data) => show('system', data.content, true));
  client.on('onMessage', (msg) => show(msg.name, msg.content, false));
  client.onClose(() => {
    setStatus('offline', 'offline');
    content.disabled = true;
    send.disabled = true;
  });
  const reply = await client.request(routes.join);
  if (reply.code !== 0) throw new Error(`join refused: ${JSON.stringify(reply)}`);
  show('system', reply.result, true);
  content.disabled = false;
  send.disabled = false;
  content.focus();
  byId<HTMLFormElement>('composer').addEventListener('submit', (event) => {
    event.preventDefault();
    if (!content.value) return;
    client.notify(routes.message, { name: nickname.value || 'guest', content: content.value });
    content.value = '';
  });
}

start().catch((error: unknown) => {
  setStatus('offline', 'offline');
  show('system', `cannot connect: ${error instanceof Error ? error.message : String(error)}`, true);
});
