import { injectable } from 'inversify';
import { Inject } from '../decorators/inject.decorators';
import type { HandshakeRequest } from '@pitaya-ts/protocol';
import { SERVER_INFO } from '../container/tokens';
import { ErrorCode, PitayaError } from '../errors/pitaya-error';
import { LOGGER, type Logger } from '../logger';
import type { ServerIdentity } from '../server-identity';
import { FrontendSession, type SessionLink, type SessionRegistry } from './frontend-session';
import type { Session } from './session';

/** A session callback; a bind callback that throws refuses the bind. Backend binds run them with a backend session. */
export type SessionCallback = (session: Session) => void | Promise<void>;
/** Checks a client's handshake; throwing answers code 400 and closes the connection. */
export type HandshakeValidator = (handshake: HandshakeRequest, session: FrontendSession) => void | Promise<void>;

/**
 * The frontend sessions of this process, by id and by bound uid, with Pitaya's pool-level
 * callbacks (`OnSessionBind`, `OnAfterSessionBind`, `OnSessionClose`) and handshake validators.
 */
@injectable('Singleton')
export class SessionPool implements SessionRegistry {
  private readonly byId = new Map<number, FrontendSession>();
  private readonly byUid = new Map<string, FrontendSession>();
  private readonly bindCallbacks: SessionCallback[] = [];
  private readonly afterBindCallbacks: SessionCallback[] = [];
  private readonly closeCallbacks: SessionCallback[] = [];
  private readonly validators = new Map<string, HandshakeValidator>();
  private nextId = 1;
  private emptyWaiters: (() => void)[] = [];

  constructor(
    @Inject(SERVER_INFO) private readonly server: ServerIdentity,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  /** Number of live sessions (Pitaya's `GetSessionCount`). */
  get count(): number {
    return this.byId.size;
  }

  /** Number of sessions bound to a uid. */
  get boundCount(): number {
    return this.byUid.size;
  }

  get(id: number): FrontendSession | undefined {
    return this.byId.get(id);
  }

  getByUid(uid: string): FrontendSession | undefined {
    return this.byUid.get(uid);
  }

  sessions(): IterableIterator<FrontendSession> {
    return this.byId.values();
  }

  /** Runs before a bind completes, on this server; throwing refuses the bind. Returns an unsubscribe function. */
  onSessionBind(callback: SessionCallback): () => void {
    return addOnce(this.bindCallbacks, callback);
  }

  /** Runs after a bind; throwing undoes the bind. */
  onAfterSessionBind(callback: SessionCallback): () => void {
    return addOnce(this.afterBindCallbacks, callback);
  }

  /** Runs when any session closes, after the session's own `onClose` callbacks. */
  onSessionClose(callback: SessionCallback): () => void {
    return addOnce(this.closeCallbacks, callback);
  }

  /** Registers a handshake validator under a name (logged when it refuses a client). */
  addHandshakeValidator(name: string, validator: HandshakeValidator): void {
    this.validators.set(name, validator);
  }

  /** Runs every validator, in registration order; resolves or rejects with the first failure, naming it. */
  async validateHandshake(handshake: HandshakeRequest, session: FrontendSession): Promise<void> {
    for (const [name, validator] of this.validators) {
      try {
        await validator(handshake, session);
      } catch (error) {
        throw new Error(`failed to run '${name}' validator: ${(error as Error).message}. SessionId=${session.id}`, { cause: error });
      }
    }
  }

  get hasHandshakeValidators(): boolean {
    return this.validators.size > 0;
  }

  /** Creates the session of a new connection. */
  create(link: SessionLink): FrontendSession {
    const session = new FrontendSession(this.nextId++, this.server.id, link, this);
    this.byId.set(session.id, session);
    return session;
  }

  async bind(session: FrontendSession, uid: string): Promise<void> {
    if (typeof uid !== 'string' || uid.length === 0) throw new Error('illegal uid');
    if (session.uid !== undefined) throw new Error('session is already bound to an uid');
    if (session.closed) throw new Error('session is closed');
    session.uid = uid;
    try {
      await this.runBindCallbacks(session);
    } catch (error) {
      session.uid = undefined;
      throw error;
    }
    // The connection may have closed during the callbacks (a join and a malformed packet in one
    // write do that): its close path has run already, so mapping the uid now would keep the session forever.
    if (session.closed) throw new PitayaError(ErrorCode.ClientClosedRequest, 'session closed while binding');
    const previous = this.byUid.get(uid);
    if (previous && previous !== session) {
      // One live session per uid on this server: the older one is told why it goes.
      this.log.info({ uid, oldSession: previous.id, newSession: session.id }, 'uid bound again on this server: kicking the older session');
      previous.kick().catch(() => undefined);
    }
    this.byUid.set(uid, session);
    try {
      await this.runAfterBindCallbacks(session);
    } catch (error) {
      if (this.byUid.get(uid) === session) this.byUid.delete(uid);
      session.uid = undefined;
      throw error;
    }
  }

  /** Runs the `onSessionBind` callbacks (also used for binds made on a backend). */
  async runBindCallbacks(session: Session): Promise<void> {
    for (const callback of this.bindCallbacks) await callback(session);
  }

  /** Runs the `onAfterSessionBind` callbacks. */
  async runAfterBindCallbacks(session: Session): Promise<void> {
    for (const callback of this.afterBindCallbacks) await callback(session);
  }

  /** Bookkeeping when a connection closed: called once by the agent. */
  async closed(session: FrontendSession): Promise<void> {
    this.byId.delete(session.id);
    if (this.byId.size === 0 && this.emptyWaiters.length > 0) {
      const waiters = this.emptyWaiters;
      this.emptyWaiters = [];
      for (const resolve of waiters) resolve();
    }
    // A quick reconnect may already have bound the uid to a new session: only remove our own mapping.
    if (session.uid !== undefined && this.byUid.get(session.uid) === session) this.byUid.delete(session.uid);
    for (const callback of [...session.takeCloseCallbacks(), ...this.closeCallbacks.map((c) => () => c(session))]) {
      try {
        await callback();
      } catch (error) {
        this.log.error({ err: error, session: session.id }, 'session close callback failed');
      }
    }
  }

  /** Resolves once no session is open (at once when none is): shutdown and draining wait on this, not on a timer. */
  whenEmpty(): Promise<void> {
    if (this.byId.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.emptyWaiters.push(resolve));
  }

  /** Closes every session (used at shutdown). */
  closeAll(reason: string): void {
    for (const session of [...this.byId.values()]) session.close(reason);
  }
}

function addOnce(list: SessionCallback[], callback: SessionCallback): () => void {
  if (!list.includes(callback)) list.push(callback);
  return () => {
    const index = list.indexOf(callback);
    if (index >= 0) list.splice(index, 1);
  };
}
