#!/usr/bin/env node
// `npm test`: installs the system packages the integration tests need, builds every package
// (multi-process tests spawn the compiled servers), type-checks the tests (swc does not),
// then runs Jest. Extra arguments go to Jest: `npm test -- packages/protocol`.
'use strict';
const { spawnSync } = require('node:child_process');
const path = require('node:path');
const { ensureSystemDeps } = require('./system-deps');
const { build } = require('./build');

const root = path.resolve(__dirname, '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
function step(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

ensureSystemDeps();
build();
step(bin('tsc'), ['-p', 'tsconfig.test.json']);
// The public API of every package entry must match api/*.api.md (npm run api-report rewrites them),
// and apps may import public entries only.
step(process.execPath, [path.join(root, 'scripts', 'api-report.js'), '--check']);
step(bin('jest'), [...(process.env.CI ? ['--ci'] : []), ...process.argv.slice(2)]);
