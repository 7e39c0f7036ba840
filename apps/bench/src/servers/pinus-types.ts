/**
 * The few pinus 1.7.4 shapes the bench touches. pinus publishes its TypeScript sources as its types,
 * which do not compile under this repository's TypeScript 7 strict settings, so we describe the
 * surface we use instead of importing it.
 */
export interface PinusChannel {
  add(uid: string, sid: string): boolean;
  leave(uid: string, sid: string): boolean;
  apushMessage(route: string, msg: unknown): Promise<unknown>;
}

export interface PinusChannelService {
  getChannel(name: string, create?: boolean): PinusChannel | undefined;
}

export interface PinusFrontendSession {
  abind(uid: string): Promise<unknown>;
  on(event: 'closed', listener: () => void): void;
}

export interface PinusApplication {
  get(key: 'channelService'): PinusChannelService;
  getServerId(): string;
  getServerType(): string;
  getCurServer(): { clientPort?: number; host?: string };
  set(key: string, value: unknown): void;
  configure(env: string, type: string, fn: () => void): void;
  start(cb?: (error?: Error) => void): void;
}

export interface PinusModule {
  pinus: {
    createApp(opts: { base: string }): PinusApplication;
    connectors: { hybridconnector: unknown };
  };
}
