#!/usr/bin/env node
// `prepack` of @pitaya-ts/cluster: its tarball carries Pitaya's .proto files (the repository keeps them
// once, in proto/), so an installed cluster package finds them next to its dist/ (findProtoDir).
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const from = path.resolve(__dirname, '..', 'proto');
const to = path.resolve(process.argv[2] ?? process.cwd(), 'proto');
fs.mkdirSync(to, { recursive: true });
for (const file of fs.readdirSync(from)) if (file.endsWith('.proto')) fs.copyFileSync(path.join(from, file), path.join(to, file));
