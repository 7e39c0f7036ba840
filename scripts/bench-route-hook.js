#!/usr/bin/env node
// Per-call cost of invoking a route (a notify without body, the cheapest kind) through invokeRoute
// with no guards or filters, compared with the plain invocation it wraps, with one synchronous guard,
// and with a parameter decorator. Interleaved runs, medians: robust to a loaded machine.
// Usage: npm run build && node scripts/bench-route-hook.js
'use strict';
const path = require('node:path');
const core = require(path.join(__dirname, '..', 'packages', 'core', 'dist', 'internal.js'));

const ctx = new core.Context({ uid: 'u' }, 'a.b.c', 0, true);
const base = { route: 'a.b.c', notify: true, bodyMode: 'none', before: [], after: [], serializer: null, invoke: () => undefined };
const target = { m() { return undefined; } };
const entries = {
  plain: { ...base },
  guarded: { ...base, enhanced: core.buildEnhancer([{ instance: { canActivate: () => true }, options: {} }], []) },
  param: { ...base, invoke: core.bindParams(target.m, target, ['uid']) },
};
const payload = new Uint8Array(0);
const N = 5_000_000;
const time = (fn, entry) => {
  const start = process.hrtime.bigint();
  for (let i = 0; i < N; i++) fn(entry, ctx, payload);
  return Number(process.hrtime.bigint() - start) / N;
};
const cases = {
  'invokePlain (no hook)': () => time(core.invokePlain, entries.plain),
  'invokeRoute, no guards/filters': () => time(core.invokeRoute, entries.plain),
  'invokeRoute, one sync guard': () => time(core.invokeRoute, entries.guarded),
  'invokeRoute, @Uid() parameter': () => time(core.invokeRoute, entries.param),
};
for (const run of Object.values(cases)) run(); // warm-up
const samples = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
for (let r = 0; r < 7; r++) for (const [k, run] of Object.entries(cases)) samples[k].push(run());
for (const [k, v] of Object.entries(samples)) console.log(`${k.padEnd(34)} ${v.sort((a, b) => a - b)[3].toFixed(1)} ns/call (median of 7 × ${N})`);
