#!/usr/bin/env node
// `prepack`/`postpack` of @pitaya-ts/cluster: its tarball carries Pitaya's .proto files (the repository
// keeps them once, in proto/) as dist/proto, where an installed package's findProtoDir finds them.
// postpack (`--clean`) removes the copy so that, in the repository, proto/ stays the only source.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const from = path.resolve(__dirname, '..', 'proto');
const to = path.resolve(process.cwd(), 'dist', 'proto');
if (process.argv.includes('--clean')) {
  fs.rmSync(to, { recursive: true, force: true });
} else {
  fs.mkdirSync(to, { recursive: true });
  for (const file of fs.readdirSync(from)) if (file.endsWith('.proto')) fs.copyFileSync(path.join(from, file), path.join(to, file));
}
