import type { PitayaClient } from '@pitaya-ts/client/node';
import { CliError, oneLine } from '../errors';
import { candidateUrls, connectFirst } from './connect';
import { JSON_CODEC, ProtobufCodec, type PayloadCodec } from './protobuf-codec';

/** Where the session writes: replies and pushes to `out`, problems to `err`. */
export interface ReplOutput {
  out(line: string): void;
  err(line: string): void;
}

/** Options of a {@link ReplSession}. */
export interface ReplSessionOptions {
  /** Indent JSON replies and pushes. */
  readonly pretty?: boolean;
  /** Route of the docs handler to read routes from after connecting (default `docsHandler.docs`). */
  readonly docsRoute?: string;
  /** Per-attempt connect and request timeout (default 5 000 ms). */
  readonly timeoutMs?: number;
}

/** The shell's commands, with their usage, for `help` and completion. */
export const COMMANDS: Readonly<Record<string, string>> = {
  connect: 'connect <host:port | ws://… | wss://… | tcp://… | tls://…>   (no scheme: tries wss, ws, tls, tcp)',
  disconnect: 'disconnect',
  request: 'request <route> [json]   e.g. request chat.room.join {"name":"ana"}',
  notify: 'notify <route> [json]',
  sethandshake: 'sethandshake <json> | sethandshake version|platform|buildNumber <value>   (used by the next connect)',
  push: 'push <route> <protobuf type>   (protobuf servers: how to decode pushes on route)',
  routes: 'routes   (the routes the server lists through its docs route)',
  sleep: 'sleep <ms>   (wait, e.g. for pushes in a --file script)',
  help: 'help',
  exit: 'exit',
};

/** Most lines of a push or reply kept per message: a REPL is read by a person. */
const MAX_PRINTED_CHARS = 64 * 1024;
const MAX_SLEEP_MS = 600_000;

type HandshakeData = { sys?: Record<string, string>; user?: Record<string, unknown> };
const HANDSHAKE_KEYS: Readonly<Record<string, string>> = { version: 'clientVersion', platform: 'platform', buildNumber: 'clientBuildNumber' };

/**
 * The REPL's state and commands (what pitaya-cli's shell does), without any terminal: the
 * interactive shell, `--file` scripts and tests all feed it lines. Each command resolves when done;
 * a failure rejects with a one-line {@link CliError}.
 */
export class ReplSession {
  private client: PitayaClient | undefined;
  private url: string | undefined;
  private handshake: HandshakeData = {};
  private knownRoutes: string[] = [];
  private codec: PayloadCodec = JSON_CODEC;
  private readonly pushDeclarations = new Map<string, string>();
  /** Set by `exit`. */
  exited = false;

  constructor(private readonly output: ReplOutput, private readonly options: ReplSessionOptions = {}) {}

  /** Routes learnt from the server's docs route (empty when it has none). */
  get routes(): readonly string[] {
    return this.knownRoutes;
  }

  get connected(): boolean {
    return this.client?.connected === true;
  }

  /** Runs one line. Blank lines and `#` comments do nothing. */
  async execute(line: string): Promise<void> {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const [command, rest] = splitFirst(trimmed);
    switch (command) {
      case 'connect': return this.connect(rest);
      case 'disconnect': return this.disconnect();
      case 'request': return this.request(rest);
      case 'notify': return this.notify(rest);
      case 'sethandshake': return this.setHandshake(rest);
      case 'push': return this.declarePush(rest);
      case 'routes': return this.printRoutes();
      case 'sleep': return this.sleep(rest);
      case 'help': return this.help();
      case 'exit': case 'quit':
        this.exited = true;
        return this.disconnect(true);
      default:
        throw new CliError(`unknown command "${command}": type help for the list`);
    }
  }

  /** Closes the connection, if any. */
  async close(): Promise<void> {
    await this.disconnect(true);
  }

  private async connect(address: string): Promise<void> {
    if (!address) throw new CliError(`usage: ${COMMANDS.connect}`);
    if (this.connected) throw new CliError(`already connected to ${this.url}: disconnect first`);
    const urls = candidateUrls(address);
    const timeoutMs = this.options.timeoutMs ?? 5_000;
    // Raw bytes: the codec (JSON, or protobuf from the server's descriptors) is chosen after the handshake.
    const { client, url } = await connectFirst(urls, {
      handshake: this.handshake,
      connectTimeoutMs: timeoutMs,
      requestTimeoutMs: timeoutMs,
      encoding: 'raw',
    });
    this.client = client;
    this.url = url;
    this.codec = JSON_CODEC;
    client.onAnyPush((route, body) => this.output.out(`sv-> push ${route} ${this.format(this.codec.decodePush(route, body as Uint8Array))}`));
    client.onKick(() => this.output.out('sv-> kicked by the server'));
    client.onClose((reason) => {
      if (this.client === client) {
        this.client = undefined;
        if (reason !== 'closed by client') this.output.out(`disconnected: ${reason}`);
      }
    });
    this.output.out(`connected to ${url}`);
    await this.loadRoutes(client);
  }

  /**
   * Reads the route list from the docs route when the server has one (silently none otherwise); a
   * protobuf server's route types and their descriptors too, like pitaya-cli's protobuf mode.
   */
  private async loadRoutes(client: PitayaClient): Promise<void> {
    const docsRoute = this.options.docsRoute ?? 'docsHandler.docs';
    this.knownRoutes = [];
    if (client.handshake.sys.serializer === 'protobuf') {
      try {
        const codec = await ProtobufCodec.load((route, body) => client.request<Uint8Array>(route, body), docsRoute);
        for (const [route, type] of this.pushDeclarations) codec.declarePush(route, type);
        this.codec = codec;
        this.knownRoutes = [...codec.routes];
        this.output.out(`protobuf: ${this.knownRoutes.length} routes and their types read from ${docsRoute}`);
      } catch (error) {
        this.output.err(`protobuf server without usable docs routes (${oneLine(error)}): bodies are sent and shown as raw bytes`);
      }
      return;
    }
    try {
      const reply = this.codec.decodeReply(docsRoute, await client.request<Uint8Array>(docsRoute)) as { doc?: unknown } | null;
      const doc = typeof reply?.doc === 'string' ? (JSON.parse(reply.doc) as { handlers?: Record<string, unknown> }) : undefined;
      this.knownRoutes = Object.keys(doc?.handlers ?? {}).sort();
    } catch {
      this.knownRoutes = [];
    }
  }

  private declarePush(rest: string): Promise<void> {
    const [route, type] = splitFirst(rest);
    if (!route || !type) throw new CliError(`usage: ${COMMANDS.push}`);
    if (this.codec instanceof ProtobufCodec) {
      try {
        this.codec.declarePush(route, type);
      } catch (error) {
        throw new CliError(oneLine(error));
      }
    } else if (this.connected) {
      throw new CliError('push declarations are for protobuf servers: this one speaks JSON, its pushes print as they are');
    }
    this.pushDeclarations.set(route, type);
    return Promise.resolve();
  }

  private async disconnect(quiet = false): Promise<void> {
    const client = this.client;
    if (!client) {
      if (quiet) return;
      throw new CliError('not connected: connect <address> first');
    }
    this.client = undefined;
    await client.close();
    if (!quiet) this.output.out(`disconnected from ${this.url}`);
  }

  private async request(rest: string): Promise<void> {
    const { route, body } = this.routeAndBody(rest, 'request');
    const client = this.requireClient();
    const payload = this.encode(route, body);
    try {
      const reply = await client.request<Uint8Array>(route, payload);
      this.output.out(`sv-> ${this.format(this.codec.decodeReply(route, reply))}`);
    } catch (error) {
      throw this.routeError(route, error);
    }
  }

  private async notify(rest: string): Promise<void> {
    const { route, body } = this.routeAndBody(rest, 'notify');
    const client = this.requireClient();
    client.notify(route, this.encode(route, body));
  }

  private encode(route: string, body: unknown): Uint8Array | undefined {
    try {
      return this.codec.encodeRequest(route, body);
    } catch (error) {
      throw new CliError(`cannot encode the body of ${route}: ${oneLine(error)}`);
    }
  }

  private setHandshake(rest: string): Promise<void> {
    if (!rest) throw new CliError(`usage: ${COMMANDS.sethandshake}`);
    if (rest.startsWith('{')) {
      const data = parseJson(rest, 'sethandshake {"sys":{"platform":"mac"},"user":{"age":30}}');
      if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new CliError('the handshake must be a JSON object with "sys" and/or "user"');
      this.handshake = data as HandshakeData;
    } else {
      const [key, value] = splitFirst(rest);
      const sysKey = HANDSHAKE_KEYS[key];
      if (!sysKey || !value) throw new CliError(`usage: ${COMMANDS.sethandshake}`);
      this.handshake = { ...this.handshake, sys: { ...this.handshake.sys, [sysKey]: value } };
    }
    this.output.out(`handshake: ${JSON.stringify(this.handshake)}${this.connected ? ' (used by the next connect)' : ''}`);
    return Promise.resolve();
  }

  private printRoutes(): Promise<void> {
    if (this.knownRoutes.length === 0) {
      this.output.out('no route list: the server does not serve docsHandler.docs (import DocsModule on the server)');
    } else {
      for (const route of this.knownRoutes) this.output.out(route);
    }
    return Promise.resolve();
  }

  private sleep(rest: string): Promise<void> {
    const ms = Number(rest);
    if (!Number.isInteger(ms) || ms < 0 || ms > MAX_SLEEP_MS) throw new CliError(`usage: sleep <milliseconds, 0-${MAX_SLEEP_MS}>`);
    return new Promise((resolve) => setTimeout(resolve, ms));
  }

  private help(): Promise<void> {
    for (const usage of Object.values(COMMANDS)) this.output.out(`  ${usage}`);
    return Promise.resolve();
  }

  private requireClient(): PitayaClient {
    if (!this.client?.connected) throw new CliError('not connected: connect <address> first');
    return this.client;
  }

  private routeAndBody(rest: string, command: 'request' | 'notify'): { route: string; body: unknown } {
    const [route, json] = splitFirst(rest);
    if (!route) throw new CliError(`usage: ${COMMANDS[command]}`);
    if (!/^[^.\s]+(\.[^.\s]+){1,2}$/.test(route)) throw new CliError(`"${route}" is not a route: write serverType.service.method (or service.method)`);
    return { route, body: json ? parseJson(json, `${command} ${route} {"key":"value"}`) : undefined };
  }

  private routeError(route: string, error: unknown): CliError {
    // A protobuf server's error reply is a protos.Error the client could not read as JSON.
    const payload = (error as { payload?: unknown }).payload;
    const decoded = payload instanceof Uint8Array ? this.codec.decodeError(payload) : undefined;
    if (decoded) error = Object.assign(new Error(decoded.msg), { code: decoded.code, metadata: decoded.metadata });
    const e = error as { code?: unknown; metadata?: Record<string, string> };
    const code = typeof e.code === 'string' ? `${e.code} ` : '';
    const metadata = e.metadata && Object.keys(e.metadata).length > 0 ? ` ${JSON.stringify(e.metadata)}` : '';
    const hint = e.code === 'PIT-404' && this.knownRoutes.length > 0 ? ' (type routes for the list)' : '';
    return new CliError(`${code}${route}: ${oneLine(error)}${metadata}${hint}`);
  }

  private format(value: unknown): string {
    let text: string;
    if (value instanceof Uint8Array) text = `<${value.length} bytes, not JSON> ${Buffer.from(value).toString('base64')}`;
    else text = (this.options.pretty ? JSON.stringify(value, null, 2) : JSON.stringify(value)) ?? 'null';
    return text.length > MAX_PRINTED_CHARS ? `${text.slice(0, MAX_PRINTED_CHARS)}… (${text.length} characters)` : text;
  }
}

function splitFirst(text: string): [string, string] {
  const m = /^(\S+)\s*([\s\S]*)$/.exec(text.trim());
  return m ? [m[1]!, m[2]!.trim()] : ['', ''];
}

function parseJson(text: string, example: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CliError(`invalid JSON (${oneLine(error)}); write e.g. ${example}`);
  }
}
