import {
  decodeHandshakeRequest, decodeMessage, HEARTBEAT_PACKET, KICK_PACKET, MessageType, PacketType, ProtocolError,
  type Message,
} from '@pitaya-ts/protocol';
import type { Connection, ConnectionHandler } from '../acceptors/acceptor';
import { writeEach } from '../acceptors/write-many';
import { SessionInbox, type DispatchTarget } from '../dispatch/session-inbox';
import { ErrorCode, PitayaError } from '../errors/pitaya-error';
import type { FrontendSession, SessionLink } from '../session/frontend-session';
import type { AgentServices } from './agent-factory';
import type { HeartbeatTarget } from './heartbeat-scheduler';

/** Connection states of spec §2.1. */
export const AgentState = { Start: 1, Handshake: 2, Working: 3, Closed: 4 } as const;
export type AgentState = (typeof AgentState)[keyof typeof AgentState];

/**
 * One client connection: handshake, heartbeat, the connection state machine, and the write path.
 * Decoded messages go to the dispatcher in arrival order; replies and pushes come back through
 * `send`. Anything malformed closes this connection only.
 */
export class Agent implements ConnectionHandler, SessionLink, HeartbeatTarget, DispatchTarget {
  state: AgentState = AgentState.Start;
  lastRound: number;
  readonly session: FrontendSession;
  /**
   * This session's ordered queue. The dispatcher drives it through its methods (the agent's own
   * state is the agent's alone); it pauses and resumes reading the connection.
   */
  readonly inbox: SessionInbox;
  private handshaking = false;
  private handshakeTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly connection: Connection,
    private readonly services: AgentServices,
  ) {
    this.lastRound = services.heartbeat.round;
    this.inbox = new SessionInbox(connection);
    this.session = services.pool.create(this);
    services.heartbeat.add(this);
    services.metrics.connectionOpened(connection.transport);
    if (services.handshakeTimeoutMs > 0) {
      this.handshakeTimer = setTimeout(expireHandshake, services.handshakeTimeoutMs, this);
      this.handshakeTimer.unref();
    }
    connection.setHandler(this);
  }

  get remoteAddress(): string {
    return this.connection.remoteAddress;
  }

  get closed(): boolean {
    return this.state === AgentState.Closed;
  }

  get handshaken(): boolean {
    return this.state === AgentState.Handshake || this.state === AgentState.Working;
  }

  onPacket(type: PacketType, body: Uint8Array): void {
    if (this.state === AgentState.Closed) return;
    this.lastRound = this.services.heartbeat.round;
    switch (type) {
      case PacketType.Data:
        this.onData(body);
        return;
      case PacketType.Heartbeat:
        return;
      case PacketType.Handshake:
        this.onHandshake(body);
        return;
      case PacketType.HandshakeAck:
        if (this.state !== AgentState.Handshake) return this.violation('handshake ack before a successful handshake');
        this.state = AgentState.Working;
        this.clearHandshakeTimer();
        return;
      default:
        return this.violation(`packet type ${type} is not sent by clients`);
    }
  }

  onMalformed(error: ProtocolError): void {
    this.services.metrics.malformedInput(error.reason);
    this.services.log.warn({ session: this.session.id, remote: this.remoteAddress, reason: error.reason }, `closing connection: ${error.message}`);
  }

  onClose(reason: string): void {
    if (this.state === AgentState.Closed) return;
    this.state = AgentState.Closed;
    this.finish(reason);
  }

  /** Sends a packet; a client too slow to take it is disconnected instead of buffering without limit. */
  send(packet: Uint8Array): boolean {
    if (this.state === AgentState.Closed || this.tooSlow()) return false;
    this.connection.write(packet);
    return true;
  }

  /** Sends packets in order, in one write where the connection can; all or none, as {@link send}. */
  sendMany(packets: readonly Uint8Array[]): boolean {
    if (this.state === AgentState.Closed || this.tooSlow()) return false;
    writeEach(this.connection, packets);
    return true;
  }

  /** A client too slow to take more is disconnected instead of buffering without limit. */
  private tooSlow(): boolean {
    if (this.connection.pendingBytes <= this.services.maxPendingBytes) return false;
    this.services.metrics.slowConsumer();
    this.services.log.warn({ session: this.session.id, pending: this.connection.pendingBytes }, 'closing connection: client is not reading fast enough');
    this.close('send buffer full');
    return true;
  }

  pushMessage(route: string, body: unknown): void {
    if (this.state === AgentState.Closed) throw new PitayaError(ErrorCode.ClientClosedRequest, 'broken low-level pipe');
    this.send(this.services.encoder.push(route, body));
  }

  sendHeartbeat(): void {
    this.send(HEARTBEAT_PACKET);
  }

  kick(): void {
    if (this.state === AgentState.Closed) return;
    this.connection.write(KICK_PACKET);
    this.close('kicked');
  }

  close(reason: string): void {
    if (this.state === AgentState.Closed) return;
    this.state = AgentState.Closed;
    this.connection.close();
    this.finish(reason);
  }

  /** Stops reading for good (shutdown); packets already read are still handled and answered. */
  stopReading(): void {
    if (this.state === AgentState.Closed) return;
    this.inbox.stopReading();
  }

  /**
   * Answers `error` to every request read but not answered yet (the one in progress and the queued
   * ones) and forgets the queue; used when `shutdown.timeout` passes. Returns how many were answered.
   */
  abandonRequests(error: PitayaError): number {
    if (this.state === AgentState.Closed) return 0;
    let answered = 0;
    for (const message of this.inbox.drain()) {
      if (message.type !== MessageType.Request) continue;
      this.send(this.services.encoder.errorResponse(message.id, error));
      answered++;
    }
    return answered;
  }

  /** Closes a connection that did not complete the handshake in time. @internal */
  handshakeExpired(): void {
    this.handshakeTimer = undefined;
    if (this.state === AgentState.Working || this.state === AgentState.Closed) return;
    this.services.metrics.refused('handshake-timeout');
    this.services.log.debug({ session: this.session.id, remote: this.remoteAddress }, 'closing connection: handshake not completed in time');
    this.close('handshake timeout');
  }

  private clearHandshakeTimer(): void {
    if (this.handshakeTimer === undefined) return;
    clearTimeout(this.handshakeTimer);
    this.handshakeTimer = undefined;
  }

  private finish(reason: string): void {
    this.clearHandshakeTimer();
    this.services.guard.release(this.connection);
    this.inbox.clear();
    this.services.heartbeat.remove(this);
    this.services.metrics.connectionClosed(this.connection.transport);
    this.services.log.debug({ session: this.session.id, uid: this.session.uid, reason }, 'connection closed');
    void this.services.pool.closed(this.session);
  }

  private onData(body: Uint8Array): void {
    if (this.state !== AgentState.Working) return this.violation('data received before the handshake ack');
    let message: Message;
    try {
      message = decodeMessage(body, this.services.encoder.dictionary);
    } catch (error) {
      return this.malformed(error);
    }
    if (message.type !== MessageType.Request && message.type !== MessageType.Notify) {
      return this.violation(`message type ${message.type} is not sent by clients`);
    }
    this.services.dispatcher.dispatch(this, message);
  }

  private onHandshake(body: Uint8Array): void {
    if (this.state !== AgentState.Start || this.handshaking) return this.violation('second handshake on one connection');
    let request;
    try {
      request = decodeHandshakeRequest(body);
    } catch (error) {
      return this.refuse((error as Error).message);
    }
    this.session.handshake = request;
    if (!this.services.pool.hasHandshakeValidators) return this.accept();
    this.handshaking = true;
    this.services.pool.validateHandshake(request, this.session).then(
      () => this.accept(),
      (error: Error) => this.refuse(error.message),
    );
  }

  private accept(): void {
    this.handshaking = false;
    if (this.state === AgentState.Closed) return;
    // Pitaya stores the IP version in every frontend session.
    this.session.set('ipversion', this.remoteAddress.split(':').length > 2 ? 'ipv6' : 'ipv4');
    this.connection.write(this.services.handshake.acceptPacket);
    this.state = AgentState.Handshake;
  }

  private refuse(reason: string): void {
    this.handshaking = false;
    if (this.state === AgentState.Closed) return;
    this.services.log.warn({ session: this.session.id, remote: this.remoteAddress }, `handshake refused: ${reason}`);
    this.connection.write(this.services.handshake.refusePacket);
    this.close('handshake refused');
  }

  private malformed(error: unknown): void {
    const protocolError = error instanceof ProtocolError ? error : new ProtocolError('MESSAGE_TOO_SHORT', String(error));
    this.onMalformed(protocolError);
    this.close(`malformed input: ${protocolError.reason}`);
  }

  private violation(what: string): void {
    this.services.metrics.malformedInput('PROTOCOL_VIOLATION');
    this.services.log.warn({ session: this.session.id, remote: this.remoteAddress }, `closing connection: ${what}`);
    this.close(`protocol violation: ${what}`);
  }
}

// Module-level so arming the timer allocates no closure per connection.
function expireHandshake(agent: Agent): void {
  agent.handshakeExpired();
}
