import type { StandardSchemaV1 } from '@pitaya-ts/protocol';
import type { PushEntry, RouteEntry, RouteTable } from '../dispatch/route-table';

/** A JSON Schema object, as embedded in the document. */
export type JsonSchema = Record<string, unknown>;

/**
 * Turns a schema into JSON Schema (draft-07) when its library does not implement Standard JSON Schema
 * (`~standard.jsonSchema`, which zod ≥ 4.2 does). Return `undefined` to leave the payload open.
 */
export type JsonSchemaProvider = (schema: StandardSchemaV1, io: 'input' | 'output') => JsonSchema | undefined;

/** Options of {@link generateAsyncApi}. */
export interface AsyncApiOptions {
  /** `info.title`. Default `<serverType> client protocol`. */
  readonly title?: string;
  /** `info.version`. Default `0.0.0`. */
  readonly version?: string;
  readonly description?: string;
  /** Where clients connect, e.g. `{ production: { host: 'chat.example.com:3250', protocol: 'wss', pathname: '/pitaya' } }`. */
  readonly servers?: Readonly<Record<string, { readonly host: string; readonly protocol: string; readonly pathname?: string; readonly description?: string }>>;
  /** For schema libraries without Standard JSON Schema. */
  readonly jsonSchema?: JsonSchemaProvider;
}

/** An AsyncAPI 3.0.0 document (JSON-serialisable). */
export interface AsyncApiDocument {
  readonly asyncapi: '3.0.0';
  readonly info: { readonly title: string; readonly version: string; readonly description?: string };
  readonly defaultContentType: string;
  readonly servers?: Record<string, unknown>;
  readonly channels: Record<string, unknown>;
  readonly operations: Record<string, unknown>;
  readonly components: { readonly messages: Record<string, unknown>; readonly schemas: Record<string, unknown> };
}

/** The error body of a Pitaya error reply (the message carries the error flag). */
const PITAYA_ERROR_SCHEMA: JsonSchema = {
  type: 'object',
  description: 'A Pitaya error: PIT-400 for a body that fails its schema (metadata.path names the field), PIT-404 for an unknown route, PIT-000 for an unexpected failure, or an application code.',
  properties: {
    code: { type: 'string', examples: ['PIT-400'] },
    msg: { type: 'string' },
    metadata: { type: 'object', additionalProperties: { type: 'string' } },
  },
  required: ['code', 'msg'],
};

/**
 * The AsyncAPI 3 document of the client-facing protocol: each handler route is a channel (its route
 * string) with an operation the server receives — a request with its reply (or the Pitaya error), or
 * a notify — and each declared push is a channel the server sends on. Payloads are the JSON Schemas of
 * the declared schemas (the request's input side, the reply's and pushes' output side); routes
 * without a schema get an open payload. Remotes are server-to-server and are not listed.
 */
export function generateAsyncApi(table: Pick<RouteTable, 'handlers' | 'pushes'>, options: AsyncApiOptions = {}): AsyncApiDocument {
  const serverType = table.handlers[0]?.serverType ?? 'server';
  const toJson = (schema: StandardSchemaV1 | undefined, io: 'input' | 'output'): JsonSchema => (schema ? jsonSchemaOf(schema, io, options.jsonSchema) : {});
  const channels: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  const messages: Record<string, unknown> = {
    PitayaError: { name: 'PitayaError', title: 'Error reply', contentType: 'application/json', payload: { $ref: '#/components/schemas/PitayaError' } },
  };
  for (const route of [...table.handlers].sort((a, b) => a.route.localeCompare(b.route))) {
    const id = route.route;
    const request = `${id}.request`;
    messages[request] = message(request, route.notify ? 'Notify' : 'Request', route.bodyMode === 'none' && !route.request ? undefined : toJson(route.request, 'input'));
    const channelMessages: Record<string, unknown> = { request: { $ref: `#/components/messages/${request}` } };
    const operation: Record<string, unknown> = {
      action: 'receive',
      channel: { $ref: `#/channels/${id}` },
      summary: route.description ?? `${route.notify ? 'Notify' : 'Request'} ${id}`,
      messages: [{ $ref: `#/channels/${id}/messages/request` }],
      'x-pitaya-notify': route.notify,
    };
    if (!route.notify) {
      const reply = `${id}.reply`;
      messages[reply] = message(reply, 'Reply', toJson(route.response, 'output'));
      channelMessages.reply = { $ref: `#/components/messages/${reply}` };
      channelMessages.error = { $ref: '#/components/messages/PitayaError' };
      operation.reply = { channel: { $ref: `#/channels/${id}` }, messages: [{ $ref: `#/channels/${id}/messages/reply` }, { $ref: `#/channels/${id}/messages/error` }] };
    }
    channels[id] = { address: id, title: id, description: describeRoute(route), messages: channelMessages };
    operations[id] = operation;
  }
  for (const push of [...table.pushes].sort((a, b) => a.route.localeCompare(b.route))) {
    const id = push.route;
    const name = `${id}.push`;
    messages[name] = message(name, 'Push', toJson(push.schema, 'output'));
    channels[id] = { address: id, title: id, description: describePush(push), messages: { push: { $ref: `#/components/messages/${name}` } } };
    operations[`push.${id}`] = { action: 'send', channel: { $ref: `#/channels/${id}` }, summary: `Push ${id}`, messages: [{ $ref: `#/channels/${id}/messages/push` }] };
  }
  return {
    asyncapi: '3.0.0',
    info: {
      title: options.title ?? `${serverType} client protocol`,
      version: options.version ?? '0.0.0',
      description: options.description ?? 'Pitaya protocol (pomelo packets over WebSocket or TCP). Each route is a channel; requests carry a message id and get a reply or an error reply, notifies get none, pushes come from the server.',
    },
    defaultContentType: 'application/json',
    ...(options.servers ? { servers: { ...options.servers } } : {}),
    channels,
    operations,
    components: { messages, schemas: { PitayaError: PITAYA_ERROR_SCHEMA } },
  };
}

function message(name: string, title: string, payload: JsonSchema | undefined): Record<string, unknown> {
  return payload === undefined ? { name, title } : { name, title, contentType: 'application/json', payload };
}

function describeRoute(route: RouteEntry): string {
  return `${route.notify ? 'Notify' : 'Request'} route of ${route.owner}.`;
}

function describePush(push: PushEntry): string {
  return `Push declared by ${push.owner}.`;
}

/** JSON Schema of a schema, draft-07 (what AsyncAPI 3's default schema format extends). */
export function jsonSchemaOf(schema: StandardSchemaV1, io: 'input' | 'output', provider?: JsonSchemaProvider): JsonSchema {
  const standard = (schema as { '~standard': { jsonSchema?: { input?: unknown; output?: unknown } } })['~standard'];
  const convert = standard.jsonSchema?.[io];
  let json: JsonSchema | undefined;
  if (typeof convert === 'function') {
    try {
      json = (convert as (o: { target: string }) => JsonSchema)({ target: 'draft-07' });
    } catch {
      json = undefined; // e.g. a transform with no JSON equivalent: fall back to the provider
    }
  }
  json ??= provider?.(schema, io);
  if (!json) return {};
  const { $schema: _dialect, ...rest } = json;
  return rest;
}
