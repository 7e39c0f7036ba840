/**
 * Pitaya's NATS subjects (`pitaya:pkg/cluster/nats_rpc_common.go`), byte for byte: a Go server and a
 * pitaya-ts server on the same NATS reach each other through them.
 */
export const NatsSubject = {
  /** Sys and User RPCs to one server: `protos.Request` in, `protos.Response` to the NATS reply subject. */
  server: (serverType: string, serverId: string): string => `pitaya/servers/${serverType}/${serverId}`,
  /** `protos.Push` to a user, subscribed by the frontend holding the user while it is bound. */
  userPush: (frontendType: string, uid: string): string => `pitaya/${frontendType}/user/${uid}/push`,
  /** `protos.KickMsg` to a user, subscribed like {@link NatsSubject.userPush}. */
  userKick: (frontendType: string, uid: string): string => `pitaya/${frontendType}/user/${uid}/kick`,
  /** `protos.BindMsg` unique-session notices to every frontend of a type. */
  bindings: (serverType: string): string => `pitaya/${serverType}/bindings`,
} as const;
