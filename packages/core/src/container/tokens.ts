/**
 * Container tokens of the framework's replaceable parts. Each interface lives beside its default
 * implementation; these symbols are how a module (or a test) swaps one.
 */
export { LOGGER } from '../logger';
export { GROUPS } from '../groups/groups';
export { USER_MESSENGER } from '../session/user-messenger';
import type { HandshakeValidator } from '../session/session-pool';

/** {@link ServerIdentity} of this process. */
export const SERVER_INFO = Symbol.for('pitaya-ts:ServerInfo');
/** The resolved {@link PitayaConfig}. */
export const PITAYA_CONFIG = Symbol.for('pitaya-ts:PitayaConfig');
/** The client payload {@link Serializer}. */
export const SERIALIZER = Symbol.for('pitaya-ts:Serializer');
/** The {@link MetricsReporter}. */
export const METRICS_REPORTER = Symbol.for('pitaya-ts:MetricsReporter');
/** Where the dispatcher sends routes of other server types ({@link Forwarder}). */
export const FORWARDER = Symbol.for('pitaya-ts:Forwarder');
/** The {@link RpcClient} for user RPCs (cluster mode). */
export const RPC_CLIENT = Symbol.for('pitaya-ts:RpcClient');
/** The {@link ProtobufSerializer} of the `protobuf` option, bound only when that option is given. */
export const PROTOBUF_SERIALIZER = Symbol.for('pitaya-ts:ProtobufSerializer');

/** The {@link ConfigSource}: the configuration file (if any) and the environment, for modules resolving their own keys. */
export const CONFIG_SOURCE = Symbol.for('pitaya-ts:ConfigSource');

/**
 * Multi-provider token: acceptors contributed by modules (`{ provide: ACCEPTORS, useValue: ws({ port }), multi: true }`),
 * opened after those of the `acceptors` option.
 */
export const ACCEPTORS = Symbol.for('pitaya-ts:Acceptors');
/** Multi-provider token: {@link NamedHandshakeValidator}s contributed by modules, run after those of the `handshakeValidators` option. */
export const HANDSHAKE_VALIDATORS = Symbol.for('pitaya-ts:HandshakeValidators');
/** Multi-provider token: client {@link Serializer}s contributed by modules, selected by name with the `serializer` option. */
export const SERIALIZERS = Symbol.for('pitaya-ts:Serializers');

/** The framework's multi-provider tokens; injecting one gives an array (empty when nothing contributed). */
export const MULTI_TOKENS: readonly symbol[] = [ACCEPTORS, HANDSHAKE_VALIDATORS, SERIALIZERS];

/** A handshake check contributed through {@link HANDSHAKE_VALIDATORS}; a class with these members works too. */
export interface NamedHandshakeValidator {
  /** Named in the log when it refuses a client. */
  readonly name: string;
  /** Throwing (or rejecting) refuses the client with code 400. */
  readonly validate: HandshakeValidator;
}
