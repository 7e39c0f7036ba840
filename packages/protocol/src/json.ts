import { ProtocolError, type ProtocolErrorReason } from './errors';
import { utf8Decode } from './utf8';

const GO_ESCAPES: Readonly<Record<string, string>> = {
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};
const NEEDS_GO_ESCAPE = /[<>&\u2028\u2029]/;
const GO_ESCAPE_ALL = /[<>&\u2028\u2029]/g;
// JSON.stringify writes a lone surrogate as \udXXX where Go writes invalid UTF-8 as \ufffd. The lookbehind
// and the even run of backslashes keep a user's literal "\\ud800" text untouched.
const LONE_SURROGATE = /(?<!\\)((?:\\\\)*)\\ud[89a-f][0-9a-f]{2}/g;

/**
 * `JSON.stringify` plus Go `encoding/json`'s HTML escaping (`<`, `>`, `&`, U+2028, U+2029 as `\u003c`…), for
 * byte-exact output. Key order is the object's own order (sort first where Go would sort a map). Lone
 * surrogates become `\ufffd` as in Go; `undefined` (and other values JSON cannot represent) gives `null`.
 */
export function goJsonStringify(value: unknown): string {
  let s = JSON.stringify(value) as string | undefined;
  if (s === undefined) return 'null';
  if (NEEDS_GO_ESCAPE.test(s)) s = s.replace(GO_ESCAPE_ALL, (c) => GO_ESCAPES[c] ?? c);
  if (s.includes('\\ud')) s = s.replace(LONE_SURROGATE, '$1\\ufffd');
  return s;
}

/**
 * Orders strings by Unicode code point, i.e. by their UTF-8 bytes, which is how Go sorts map keys
 * (plain `<` compares UTF-16 units and misplaces U+E000..U+FFFF against astral characters).
 */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (astral code points) sort after every BMP unit: shift them above 0xFFFF's range.
    if (x >= 0xd800) x += x <= 0xdfff ? 0x2000 : -0x800;
    if (y >= 0xd800) y += y <= 0xdfff ? 0x2000 : -0x800;
    return x - y;
  }
  return a.length - b.length;
}

/** Own keys sorted the way Go's `encoding/json` sorts map keys. @internal */
export function sortedKeys(o: object): string[] {
  return Object.keys(o).sort(compareCodePoints);
}

/** `{"k":v,...}` with keys sorted as Go does; values must already be JSON text. @internal */
export function goJsonObject(entries: Readonly<Record<string, unknown>>, value: (v: unknown) => string): string {
  let s = '{';
  for (const k of sortedKeys(entries)) {
    if (s.length > 1) s += ',';
    s += goJsonStringify(k) + ':' + value(entries[k]);
  }
  return s + '}';
}

const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);
// A forbidden key reaches JSON text either spelled literally or with at least one escape sequence
// (`"\u005f_proto__"`): text with neither cannot hold one, which spares the walk for ordinary payloads.
const LITERAL_FORBIDDEN = /__proto__|constructor|prototype/;

/**
 * True for the keys that pollute prototypes once user code merges an object (`Object.assign`, spreads,
 * lodash `merge`): `__proto__`, `constructor`, `prototype`.
 */
export function isForbiddenKey(key: string): boolean {
  return FORBIDDEN_KEYS.has(key);
}

/**
 * The first forbidden key (see {@link isForbiddenKey}) of `value` at any depth, or `undefined`. Walks
 * iteratively: a deeply nested document must not overflow the stack.
 */
export function findForbiddenKey(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const stack: object[] = [value];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (Array.isArray(node)) {
      for (const item of node) if (typeof item === 'object' && item !== null) stack.push(item as object);
      continue;
    }
    for (const key of Object.keys(node)) {
      if (FORBIDDEN_KEYS.has(key)) return key;
      const child = (node as Record<string, unknown>)[key];
      if (typeof child === 'object' && child !== null) stack.push(child);
    }
  }
  return undefined;
}

/**
 * The one prototype-pollution check for parsed JSON: the first forbidden key of `value`, parsed from
 * `text`, however the text spells it (literally or with `\u` escapes). Only text containing a
 * backslash or one of the words is walked, so the common payload costs two linear scans and no
 * allocation.
 */
export function forbiddenKeyInJson(text: string, value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  if (!text.includes('\\') && !LITERAL_FORBIDDEN.test(text)) return undefined;
  return findForbiddenKey(value);
}

/** Parses untrusted JSON bytes and rejects prototype-polluting keys at any depth, however spelled. @internal */
export function parseUntrustedJson(bytes: Uint8Array, what: string, reason: ProtocolErrorReason): unknown {
  const text = utf8Decode(bytes);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new ProtocolError(reason, `${what} is not valid JSON: ${(e as Error).message}`, { cause: e });
  }
  const key = forbiddenKeyInJson(text, value);
  if (key !== undefined) throw new ProtocolError('FORBIDDEN_KEY', `${what} contains the forbidden key "${key}"`);
  return value;
}

/** True for a plain JSON object (not null, not an array). @internal */
export function isJsonObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A short type description for error messages (never echoes untrusted values). @internal */
export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return `a ${typeof v}`;
}
