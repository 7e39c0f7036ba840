#!/usr/bin/env node
// `npm run build`: compiles every package with TypeScript (tsc -b), then builds the chat page's
// browser bundle of @pitaya-ts/client and the chat page with esbuild, and copies the page next to the compiled chat.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');

/** A fresh clone has no node_modules: install exactly what the lock file pins before building. */
function ensureInstalled() {
  if (fs.existsSync(path.join(root, 'node_modules', '.bin', 'tsc'))) return;
  console.log('node_modules is missing: running npm ci …');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

function build() {
  ensureInstalled();
  const tsc = spawnSync(path.join(root, 'node_modules', '.bin', 'tsc'), ['-b'], { cwd: root, stdio: 'inherit' });
  if (tsc.status !== 0) process.exit(tsc.status ?? 1);
  linkCli();
  const out = path.join(root, 'apps', 'chat', 'dist', 'web');
  fs.mkdirSync(out, { recursive: true });
  for (const file of fs.readdirSync(path.join(root, 'apps', 'chat', 'web'))) {
    if (!file.endsWith('.ts')) fs.copyFileSync(path.join(root, 'apps', 'chat', 'web', file), path.join(out, file));
  }
  // The page itself (TypeScript, type-checked by tsconfig.test.json) with the client bundled in.
  require('esbuild').buildSync({
    entryPoints: [path.join(root, 'apps', 'chat', 'web', 'chat.ts')],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: ['es2020'],
    minify: true,
    sourcemap: false,
    outfile: path.join(out, 'chat.js'),
    logLevel: 'warning',
  });
  require('esbuild').buildSync({
    entryPoints: [path.join(root, 'packages', 'client', 'src', 'index.ts')],
    bundle: true,
    format: 'iife',
    globalName: 'PitayaClient',
    platform: 'browser',
    target: ['es2020'],
    minify: true,
    sourcemap: false,
    outfile: path.join(out, 'pitaya-client.js'),
    logLevel: 'warning',
  });
}

/**
 * npm links a workspace's bin only if the file exists at install time, and on a fresh clone dist/
 * does not exist yet: make `npx pitaya-ts` work once the CLI is built.
 */
function linkCli() {
  const bin = path.join(root, 'packages', 'cli', 'dist', 'bin.js');
  if (!fs.existsSync(bin)) return;
  fs.chmodSync(bin, 0o755);
  const link = path.join(root, 'node_modules', '.bin', 'pitaya-ts');
  try {
    fs.lstatSync(link);
  } catch {
    fs.mkdirSync(path.dirname(link), { recursive: true });
    fs.symlinkSync(path.join('..', '@pitaya-ts', 'cli', 'dist', 'bin.js'), link);
  }
}

module.exports = { build };
if (require.main === module) build();
