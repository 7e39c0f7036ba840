import type * as protobuf from 'protobufjs';
import type { Acceptor } from '../acceptors/acceptor';
import type { PitayaConfigInput } from '../config/pitaya-config';
import type { Logger } from '../logger';
import type { Serializer } from '../serialize/serializer';
import type { HandshakeValidator } from '../session/session-pool';

/** Options of `Pitaya.create()`. Tunables with Pitaya names live in `config`. */
export interface PitayaOptions {
  /** Server type: the first part of routes (`room` in `room.room.join`). No `.` or `/`. */
  readonly serverType: string;
  /** Default: a random UUID v4, like Pitaya. */
  readonly serverId?: string;
  /** Holds client connections. Default: true when acceptors are given. */
  readonly frontend?: boolean;
  /** Metadata advertised through service discovery. */
  readonly metadata?: Readonly<Record<string, string>>;
  /** Default: the OS host name. */
  readonly hostname?: string;
  /** Where clients connect: `ws({ port })`, `tcp({ port })`, or your own `Acceptor`. Frontends need one. */
  readonly acceptors?: readonly Acceptor[];
  /**
   * Client payload format: `json` (default), `protobuf` (needs `protobuf`), the name of a serializer a
   * module contributes to `SERIALIZERS`, or your own. `PITAYA_SERIALIZERTYPE` (1/2) overrides the names.
   */
  readonly serializer?: 'json' | 'protobuf' | (string & {}) | Serializer;
  /**
   * Protobuf definitions for the protobuf serializer and for remotes declaring protobuf types;
   * `pushTypes` names the message type of each push route (`{ onMessage: 'chat.Message' }`).
   */
  readonly protobuf?: {
    readonly files?: readonly string[];
    readonly root?: protobuf.Root;
    readonly pushTypes?: Readonly<Record<string, string>>;
  };
  /** Route compression: an explicit route → code map, or `auto` (every handler route, sorted, from 1). */
  readonly dictionary?: Readonly<Record<string, number>> | 'auto';
  /** Default method → route name transform, like Pitaya's `WithNameFunc` (`(m) => m.toLowerCase()`). */
  readonly routeNameTransform?: (method: string) => string;
  /** Handshake checks by name; throwing refuses the client with code 400. */
  readonly handshakeValidators?: Readonly<Record<string, HandshakeValidator>>;
  /** Default: pino on stdout at `PITAYA_LOG_LEVEL` or info. */
  readonly logger?: Logger;
  /** Pitaya's configuration keys (`heartbeat.interval`, `buffer.agent…`); `PITAYA_*` variables override them. */
  readonly config?: PitayaConfigInput;
  /**
   * A Pitaya-shaped YAML or JSON configuration file (viper's `config.yaml`: Pitaya's keys under
   * `pitaya:`, the application's own keys beside them). Precedence: defaults ← file ← `config` ←
   * `PITAYA_*`. `configFileFromArgs()` reads it from `--config <file>`.
   */
  readonly configFile?: string;
  /** Environment used for `PITAYA_*` overrides (default `process.env`). */
  readonly env?: NodeJS.ProcessEnv;
}
