import { deflateSync } from 'node:zlib';
import { injectable } from 'inversify';
import { Inject } from '../decorators/inject.decorators';
import { encodeHandshakeResponse, encodePacket, PacketType, RouteDictionary } from '@pitaya-ts/protocol';
import { PITAYA_CONFIG, SERIALIZER } from '../container/tokens';
import { LOGGER, type Logger } from '../logger';
import type { PitayaConfig } from '../config/pitaya-config';
import type { Serializer } from '../serialize/serializer';

/**
 * The two handshake replies, computed once: code 200 with the dictionary, heartbeat and serializer
 * name, and code 400 for refused clients. Like Pitaya, the body is zlib-compressed without a flag
 * when compression is on and that is shorter (clients sniff it).
 */
@injectable('Singleton')
export class HandshakeService {
  readonly acceptPacket: Uint8Array;
  readonly refusePacket: Uint8Array;

  constructor(
    @Inject(SERIALIZER) serializer: Serializer,
    @Inject(PITAYA_CONFIG) config: PitayaConfig,
    @Inject(RouteDictionary) dictionary: RouteDictionary,
    @Inject(LOGGER) log: Logger,
  ) {
    if (config.heartbeat.interval % 1000 !== 0) {
      log.warn({ heartbeatMs: config.heartbeat.interval }, 'heartbeat.interval is not whole seconds: libpitaya reads it as an integer and may misbehave');
    }
    const sys = { dict: dictionary.toJSON(), heartbeat: config.heartbeat.interval / 1000, serializer: serializer.name };
    const build = (code: number): Uint8Array => {
      const body = encodeHandshakeResponse({ code, sys });
      const deflated = config.handler.messages.compression ? deflateSync(body) : undefined;
      return encodePacket(PacketType.Handshake, deflated && deflated.length < body.length ? deflated : body);
    };
    this.acceptPacket = build(200);
    this.refusePacket = build(400);
  }
}
