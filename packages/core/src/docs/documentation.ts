import type { StandardSchemaV1 } from '@pitaya-ts/protocol';
import type { RouteEntry } from '../dispatch/route-table';
import { jsonSchemaOf, type JsonSchema } from './asyncapi';

/**
 * A type as Pitaya's doc generator writes it: a Go-ish type string (`"[]byte"`, `"error"`), or a map
 * of field names to types, or, with pointer names, `{ "*pkg.Type": { ...fields } }`.
 */
export type DocType = string | { readonly [field: string]: DocType } | readonly DocType[];

/** One route of a {@link Documentation}: its input type (`null` when it takes no body) and outputs. */
export interface RouteDoc {
  readonly input: DocType | null;
  /** The reply type then `"error"` for requests; only `"error"` for notifies, like a Go handler returning just `error`. */
  readonly output: readonly (DocType | null)[];
}

/**
 * The route table in the shape of Pitaya's `app.Documentation(true)` (pkg/docgenerator): handlers and
 * remotes keyed by their full route, so Pitaya's tools (pitaya-cli) and ours read the same JSON.
 */
export interface Documentation {
  readonly handlers: Readonly<Record<string, RouteDoc>>;
  readonly remotes: Readonly<Record<string, RouteDoc>>;
}

/** Resolves a protobuf message name to its fields (`name → type`); absent when no protobuf definitions exist. */
export type ProtoFieldsLookup = (typeName: string) => Readonly<Record<string, DocType>> | undefined;

/** A body whose type TypeScript does not keep at run time: Pitaya writes `interface {}` for those. */
const ANY = 'interface {}';

/**
 * Builds the {@link Documentation} of a route table. Declared protobuf types appear as Pitaya writes
 * pointer types (`{ "*chat.JoinRequest": { "name": "string" } }`); declared schemas (zod…) as their
 * fields with Go-like type names (`{ "name": "string", "tags": ["string"] }`); a raw body is
 * `"[]byte"`; any other decoded body is `"interface {}"`, since TypeScript types are gone at run time.
 */
export function buildDocumentation(
  routes: { readonly handlers: readonly RouteEntry[]; readonly remotes: readonly RouteEntry[] },
  lookup?: ProtoFieldsLookup,
): Documentation {
  return { handlers: docsOf(routes.handlers, lookup), remotes: docsOf(routes.remotes, lookup) };
}

function docsOf(entries: readonly RouteEntry[], lookup: ProtoFieldsLookup | undefined): Record<string, RouteDoc> {
  const out: Record<string, RouteDoc> = {};
  for (const entry of [...entries].sort((a, b) => a.route.localeCompare(b.route))) {
    const input = entry.bodyMode === 'none' && !entry.request
      ? null
      : entry.bodyMode === 'raw' ? '[]byte' : typeDoc(entry.requestType, entry.request, 'input', lookup);
    const output = entry.notify ? ['error'] : [typeDoc(entry.responseType, entry.response, 'output', lookup), 'error'];
    out[entry.route] = { input, output };
  }
  return out;
}

function typeDoc(name: string | undefined, schema: StandardSchemaV1 | undefined, io: 'input' | 'output', lookup: ProtoFieldsLookup | undefined): DocType {
  if (name !== undefined) return { [`*${name}`]: lookup?.(name) ?? {} };
  if (schema) return fromJsonSchema(jsonSchemaOf(schema, io), 0);
  return ANY;
}

/** Go-like type names for JSON Schema, as Pitaya's generator names Go types. */
function fromJsonSchema(schema: JsonSchema, depth: number): DocType {
  // Schemas can be recursive ($ref): a few levels say enough.
  if (depth > 8) return ANY;
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'string': return 'string';
    case 'integer': return 'int64';
    case 'number': return 'float64';
    case 'boolean': return 'bool';
    case 'array': return [fromJsonSchema((schema.items as JsonSchema | undefined) ?? {}, depth + 1)];
    case 'object': {
      const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
      if (Object.keys(properties).length === 0 && schema.additionalProperties && typeof schema.additionalProperties === 'object') {
        return { 'map[string]': fromJsonSchema(schema.additionalProperties as JsonSchema, depth + 1) };
      }
      return Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, fromJsonSchema(v, depth + 1)]));
    }
    default: return ANY;
  }
}
