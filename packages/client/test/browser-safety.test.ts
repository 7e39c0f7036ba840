import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

// The browser entry is bundled for web pages: nothing it reaches may import Node built-ins or `ws`.
const packages = resolve(__dirname, '../..');
const ALLOWED_BARE = new Set(['@pitaya-ts/protocol', 'fflate']);

function importsOf(file: string): string[] {
  const src = readFileSync(file, 'utf8');
  const specs: string[] = [];
  for (const m of src.matchAll(/(?:from|import|require\()\s*['"]([^'"]+)['"]/g)) specs.push(m[1]);
  return specs;
}

function resolveLocal(from: string, spec: string): string {
  if (spec === '@pitaya-ts/protocol') return join(packages, 'protocol/src/index.ts');
  const base = resolve(dirname(from), spec);
  for (const candidate of [`${base}.ts`, join(base, 'index.ts')]) if (existsSync(candidate)) return candidate;
  throw new Error(`cannot resolve ${spec} from ${from}`);
}

test('src/index.ts reaches no Node built-in and no ws', () => {
  const seen = new Set<string>();
  const bare = new Set<string>();
  const queue = [join(packages, 'client/src/index.ts')];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const spec of importsOf(file)) {
      if (spec.startsWith('.') || spec === '@pitaya-ts/protocol') queue.push(resolveLocal(file, spec));
      if (!spec.startsWith('.')) bare.add(spec);
    }
  }
  expect([...bare].filter((s) => !ALLOWED_BARE.has(s))).toEqual([]);
  expect([...seen].some((f) => f.includes('/client/src/node'))).toBe(false);
  expect(seen.size).toBeGreaterThan(10); // the walk really followed the graph
});
