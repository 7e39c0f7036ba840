import type { RouteEntry } from '../dispatch/route-table';

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
 * pointer types (`{ "*chat.JoinRequest": { "name": "string" } }`); a raw body is `"[]byte"`; a decoded
 * JSON body without a declared type is `"interface {}"`, since TypeScript types are gone at run time.
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
    const input = entry.bodyMode === 'none' ? null : entry.bodyMode === 'raw' ? '[]byte' : typeDoc(entry.requestType, lookup);
    const output = entry.notify ? ['error'] : [typeDoc(entry.responseType, lookup), 'error'];
    out[entry.route] = { input, output };
  }
  return out;
}

function typeDoc(name: string | undefined, lookup: ProtoFieldsLookup | undefined): DocType {
  if (name === undefined) return ANY;
  return { [`*${name}`]: lookup?.(name) ?? {} };
}
