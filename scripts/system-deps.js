#!/usr/bin/env node
// Makes sure the Debian packages the integration tests drive for real are present:
// etcd (cluster tests), chromium (the chat page test), nats-server (NATS RPC), redis-server
// (reliable RPC workers) and prometheus (the metrics test scrapes a real server). Installs them with apt-get when
// running as root on Debian; otherwise says exactly what to install.
'use strict';
const { spawnSync } = require('node:child_process');

const wanted = [
  { binary: 'etcd', debian: ['etcd-server', 'etcd-client'] },
  { binary: 'chromium', debian: ['chromium'] },
  { binary: 'nats-server', debian: ['nats-server'] },
  { binary: 'redis-server', debian: ['redis-server'] },
  { binary: 'prometheus', debian: ['prometheus'] },
];

function has(binary) {
  return spawnSync('sh', ['-c', `command -v ${binary}`], { stdio: 'ignore' }).status === 0;
}

function ensureSystemDeps() {
  const missing = wanted.filter((w) => !has(w.binary));
  if (missing.length === 0) return;
  const pkgs = missing.flatMap((m) => m.debian);
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || !has('apt-get')) {
    console.error(`Missing system packages for the integration tests: ${pkgs.join(' ')}.\n` +
      `Install them (Debian/Ubuntu: sudo apt-get install -y ${pkgs.join(' ')}) and run again.`);
    process.exit(1);
  }
  console.log(`Installing ${pkgs.join(' ')} with apt-get …`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const run = (args) => spawnSync('apt-get', args, { stdio: ['ignore', 'inherit', 'inherit'], env }).status;
  if (run(['install', '-y', '-qq', '--no-install-recommends', ...pkgs]) !== 0) {
    run(['update', '-qq']);
    if (run(['install', '-y', '-qq', '--no-install-recommends', ...pkgs]) !== 0) {
      console.error(`apt-get could not install ${pkgs.join(' ')}`);
      process.exit(1);
    }
  }
}

module.exports = { ensureSystemDeps };
if (require.main === module) ensureSystemDeps();
