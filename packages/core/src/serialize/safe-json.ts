import { findForbiddenKey, forbiddenKeyInJson } from '@pitaya-ts/protocol';
import { badRequest } from '../errors/pitaya-error';

/**
 * Parses untrusted JSON. Objects with `__proto__`, `constructor` or `prototype` keys are refused
 * (PIT-400) however the text spells them (`"\u005f_proto__"` too): harmless as own properties, they
 * pollute prototypes as soon as user code merges them (`Object.assign`, spreads into class
 * instances, lodash merge). The check is the protocol package's, shared by every JSON entry point.
 */
export function parseUntrustedJson(text: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw badRequest(`invalid JSON body: ${(error as Error).message}`);
  }
  const key = forbiddenKeyInJson(text, value);
  if (key !== undefined) throw badRequest(`JSON body contains the forbidden key "${key}"`);
  return value;
}

/** Throws PIT-400 when any object in `value` has a prototype-polluting key. */
export function assertNoForbiddenKeys(value: unknown): void {
  const key = findForbiddenKey(value);
  if (key !== undefined) throw badRequest(`JSON body contains the forbidden key "${key}"`);
}
