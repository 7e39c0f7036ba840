import { badRequest } from '../errors/pitaya-error';

const FORBIDDEN = ['__proto__', 'constructor', 'prototype'];
const FORBIDDEN_PATTERN = /"(?:__proto__|constructor|prototype)"\s*:/;

/**
 * Parses untrusted JSON. Objects with `__proto__`, `constructor` or `prototype` keys are refused
 * (PIT-400): harmless as own properties, they pollute prototypes as soon as user code merges
 * them (`Object.assign`, spreads into class instances, lodash merge). The full scan only runs when
 * the text contains one of those words, so ordinary payloads pay one regex test.
 */
export function parseUntrustedJson(text: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw badRequest(`invalid JSON body: ${(error as Error).message}`);
  }
  if (FORBIDDEN_PATTERN.test(text)) assertNoForbiddenKeys(value);
  return value;
}

/** Throws PIT-400 when any object in `value` has a prototype-polluting key. */
export function assertNoForbiddenKeys(value: unknown, depth = 0): void {
  if (value === null || typeof value !== 'object') return;
  if (depth > 256) throw badRequest('JSON body nests too deeply');
  if (Array.isArray(value)) {
    for (const item of value) assertNoForbiddenKeys(item, depth + 1);
    return;
  }
  for (const key of Object.keys(value)) {
    if (FORBIDDEN.includes(key)) throw badRequest(`JSON body contains the forbidden key "${key}"`);
    assertNoForbiddenKeys((value as Record<string, unknown>)[key], depth + 1);
  }
}
