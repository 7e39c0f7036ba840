/**
 * Container tokens of the framework's replaceable parts. Each interface lives beside its default
 * implementation; these symbols are how a module (or a test) swaps one.
 */
export { LOGGER } from '../logger';
export { GROUPS } from '../groups/groups';
export { USER_MESSENGER } from '../session/user-messenger';

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
