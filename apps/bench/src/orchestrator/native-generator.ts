import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The native load generator, or why the Node generator drives the echo and broadcast rows instead. */
export interface NativeGenerator {
  /** The built binary; unset when the Node generator drives the echo and broadcast rows. */
  readonly binary?: string;
  readonly description: string;
}

/**
 * Compiles `native/loadgen.c` (the echo and broadcast rows' load generator) into `outDir` with the machine's C
 * compiler. Runs once at start-up, before any load (a synchronous build is fine there). No compiler
 * or a failed build is not fatal: the Node generator then drives those rows, and the report says so.
 */
export function buildNativeGenerator(appDir: string, outDir: string): NativeGenerator {
  const source = path.join(appDir, 'native', 'loadgen.c');
  const binary = path.join(outDir, 'loadgen');
  const compiler = process.env.CC || 'cc';
  fs.mkdirSync(outDir, { recursive: true });
  const built = spawnSync(compiler, ['-O2', '-Wall', '-o', binary, source], { encoding: 'utf8' });
  if (built.error || built.status !== 0) {
    const why = built.error?.message ?? built.stderr.trim().split('\n')[0] ?? `exit ${built.status}`;
    return { description: `Node (the native generator did not build: ${why})` };
  }
  const version = spawnSync(compiler, ['--version'], { encoding: 'utf8' }).stdout?.split('\n')[0]?.trim() ?? compiler;
  return { binary, description: `native, \`apps/bench/native/loadgen.c\` built with ${version} -O2` };
}
