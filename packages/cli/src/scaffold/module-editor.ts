/** The result of adding a class to a `@Module` file. */
export type ModuleEdit =
  | { readonly ok: true; readonly text: string; readonly changes: readonly string[] }
  | { readonly ok: false; readonly reason: string };

/**
 * Adds `className` (imported from `importPath`) to the `key` array of the single `@Module({ … })`
 * in `source`, the way `nest g` edits modules: only an import line and one array entry change.
 * It edits nothing it does not understand — no `@Module`, several, a non-literal argument, a
 * non-array value — and says why instead, so the caller can tell the user what to add by hand.
 */
export function addToModule(source: string, key: string, className: string, importPath: string): ModuleEdit {
  const code = maskNonCode(source);
  const decorators = [...code.matchAll(/@Module\s*\(/g)];
  if (decorators.length !== 1) return { ok: false, reason: decorators.length === 0 ? 'no @Module( found' : 'more than one @Module( in the file' };
  const open = decorators[0]!.index + decorators[0]![0].length;
  const objStart = skipSpace(code, open);
  if (code[objStart] !== '{') return { ok: false, reason: '@Module is not given an object literal' };
  const objEnd = matching(code, objStart);
  if (objEnd < 0) return { ok: false, reason: 'unbalanced braces in @Module({ … })' };
  if (new RegExp(`\\b${className}\\b`).test(code.slice(objStart, objEnd))) return { ok: false, reason: `${className} is already listed in the module` };

  let text: string;
  let listed: string;
  const keyMatch = [...code.slice(objStart + 1, objEnd).matchAll(new RegExp(`(^|[\\s,{])${key}\\s*:`, 'g'))];
  if (keyMatch.length > 1) return { ok: false, reason: `"${key}" appears more than once in @Module` };
  if (keyMatch.length === 1) {
    const valueStart = skipSpace(code, objStart + 1 + keyMatch[0]!.index + keyMatch[0]![0].length);
    if (code[valueStart] !== '[') return { ok: false, reason: `"${key}" is not an array literal` };
    const valueEnd = matching(code, valueStart);
    if (valueEnd < 0 || valueEnd > objEnd) return { ok: false, reason: `unbalanced brackets in "${key}"` };
    const inner = source.slice(valueStart + 1, valueEnd);
    const trimmed = inner.trimEnd();
    let insert: string;
    if (trimmed.trim() === '') insert = className;
    else if (inner.includes('\n')) {
      // A multi-line list: a new line with the same indentation as the last entry.
      const indent = /\n([ \t]*)\S[^\n]*$/.exec(trimmed)?.[1] ?? '  ';
      insert = `${trimmed}${trimmed.endsWith(',') ? '' : ','}\n${indent}${className}${trimmed.endsWith(',') ? ',' : ''}${inner.slice(trimmed.length)}`;
    } else insert = `${trimmed}${trimmed.endsWith(',') ? ' ' : ', '}${className}`;
    text = source.slice(0, valueStart + 1) + insert + source.slice(valueEnd);
    listed = `${key}: [… ${className}]`;
  } else {
    // No such key yet: it becomes the first property, on its own line when the object spans lines.
    const multiLine = source.slice(objStart, objEnd).includes('\n');
    const indent = multiLine ? (/\{\s*?\n([ \t]*)/.exec(source.slice(objStart, objEnd))?.[1] ?? '  ') : '';
    const property = multiLine ? `\n${indent}${key}: [${className}],` : ` ${key}: [${className}],`;
    const body = source.slice(objStart + 1, objEnd);
    const empty = body.trim() === '';
    text = source.slice(0, objStart + 1) + (empty ? ` ${key}: [${className}] ` : property) + (empty ? '' : body) + source.slice(objEnd);
    listed = `${key}: [${className}]`;
  }
  return { ok: true, text: addImport(text, className, importPath), changes: [`import { ${className} } from '${importPath}';`, listed] };
}

/** Adds the import after the file's last top-level import (or at the top). */
function addImport(source: string, className: string, importPath: string): string {
  const line = `import { ${className} } from '${importPath}';\n`;
  const code = maskNonCode(source);
  let end = 0;
  for (const m of code.matchAll(/^import\b[^;]*;[^\n]*\n?/gm)) end = m.index + m[0].length;
  return source.slice(0, end) + line + source.slice(end);
}

function skipSpace(code: string, i: number): number {
  while (i < code.length && /\s/.test(code[i]!)) i++;
  return i;
}

/** Index of the bracket closing the one at `start`, in masked code; -1 if none. */
function matching(code: string, start: number): number {
  const pairs: Record<string, string> = { '{': '}', '[': ']', '(': ')' };
  const stack: string[] = [];
  for (let i = start; i < code.length; i++) {
    const c = code[i]!;
    if (pairs[c]) stack.push(pairs[c]);
    else if (c === '}' || c === ']' || c === ')') {
      if (stack.pop() !== c) return -1;
      if (stack.length === 0) return i;
    }
  }
  return -1;
}

/**
 * The source with comments and string contents replaced by spaces (same length), so brackets and
 * keywords inside them are not mistaken for code.
 */
export function maskNonCode(source: string): string {
  const out = source.split('');
  let i = 0;
  const blank = (from: number, to: number): void => {
    for (let k = from; k < to && k < out.length; k++) if (out[k] !== '\n') out[k] = ' ';
  };
  while (i < source.length) {
    const c = source[i]!;
    if (c === '/' && source[i + 1] === '/') {
      const end = source.indexOf('\n', i);
      const stop = end < 0 ? source.length : end;
      blank(i, stop);
      i = stop;
    } else if (c === '/' && source[i + 1] === '*') {
      const end = source.indexOf('*/', i + 2);
      const stop = end < 0 ? source.length : end + 2;
      blank(i, stop);
      i = stop;
    } else if (c === '"' || c === "'" || c === '`') {
      let j = i + 1;
      while (j < source.length && source[j] !== c) j += source[j] === '\\' ? 2 : 1;
      blank(i + 1, j);
      i = j + 1;
    } else i++;
  }
  return out.join('');
}
