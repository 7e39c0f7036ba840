import type { ProfileEntry, ProfileRecord } from '../report/report-types';

/** The parts of V8's `.cpuprofile` JSON (written by `node --cpu-prof`) that we read. */
export interface CpuProfile {
  readonly nodes: readonly {
    readonly id: number;
    readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  }[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples: readonly number[];
  /** Microseconds between consecutive samples. */
  readonly timeDeltas: readonly number[];
}

/** V8's pseudo-frames that are not JavaScript functions. */
const IDLE = '(idle)';

/** Which layer a frame belongs to, from its script URL. */
export function categoryOf(functionName: string, url: string): string {
  if (functionName === '(garbage collector)') return 'GC';
  if (functionName === IDLE) return 'idle';
  if (functionName === '(program)') return 'V8/native (program)';
  if (url.includes('/packages/core/')) return 'pitaya-ts core';
  if (url.includes('/packages/protocol/')) return 'pitaya-ts protocol';
  if (url.includes('/apps/bench/')) return 'bench app handler';
  if (url.includes('/node_modules/ws/')) return 'ws';
  if (url.includes('/node_modules/inversify') || url.includes('/node_modules/@inversifyjs/')) return 'inversify';
  if (url.includes('/node_modules/pino')) return 'pino';
  if (url.startsWith('node:')) return 'node internals';
  if (url === '') return 'native/builtins';
  return 'other';
}

/** `…/packages/core/dist/agent/agent.js:88` → `core/dist/agent/agent.js:88`. */
function shortLocation(url: string, line: number): string {
  if (url === '') return '(native)';
  const cut = /\/(?:packages|node_modules|apps)\/(.+)$/.exec(url);
  const file = cut ? cut[1]! : url.replace(/^file:\/\//, '');
  return `${file}:${line + 1}`;
}

/**
 * Self time by function: each sample is charged the interval until the next one. `messages`
 * answered during the profile turn it into microseconds per message; idle time is left out of the
 * shares (they are shares of busy CPU). Samples in the first `skipMs` (start-up: module loading,
 * bootstrap) are left out so that only the load is charged to the messages.
 */
export function summarizeProfile(profile: CpuProfile, messages: number, clients: number, payloadBytes: number, topN = 20, skipMs = 0): ProfileRecord {
  const byId = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const self = new Map<string, { functionName: string; location: string; category: string; us: number }>();
  let busyUs = 0;
  const samples = profile.samples;
  let elapsedUs = 0;
  let firstSampleUs = profile.endTime - profile.startTime;
  for (let i = 0; i < samples.length; i++) {
    elapsedUs += profile.timeDeltas[i] ?? 0;
    if (elapsedUs < skipMs * 1000) continue;
    if (firstSampleUs > elapsedUs) firstSampleUs = elapsedUs;
    const frame = byId.get(samples[i]!);
    if (!frame) continue;
    const us = profile.timeDeltas[i + 1] ?? 0;
    const category = categoryOf(frame.functionName, frame.url);
    if (category === 'idle') continue;
    busyUs += us;
    const name = frame.functionName || '(anonymous)';
    const key = `${name}\u0000${frame.url}\u0000${frame.lineNumber}`;
    const entry = self.get(key) ?? { functionName: name, location: shortLocation(frame.url, frame.lineNumber), category, us: 0 };
    entry.us += us;
    self.set(key, entry);
  }
  const perMessage = (us: number): number => (messages > 0 ? us / messages : 0);
  const top: ProfileEntry[] = [...self.values()]
    .sort((a, b) => b.us - a.us)
    .slice(0, topN)
    .map((e) => ({
      functionName: e.functionName, location: e.location, category: e.category,
      selfMs: e.us / 1000, share: busyUs > 0 ? e.us / busyUs : 0, microsPerMessage: perMessage(e.us),
    }));
  const categories = new Map<string, number>();
  for (const e of self.values()) categories.set(e.category, (categories.get(e.category) ?? 0) + e.us);
  const byCategory = [...categories.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([category, us]) => ({ category, selfMs: us / 1000, share: busyUs > 0 ? us / busyUs : 0, microsPerMessage: perMessage(us) }));
  return {
    clients,
    payloadBytes,
    messages,
    profiledMs: (profile.endTime - profile.startTime - firstSampleUs) / 1000,
    busyMicrosPerMessage: perMessage(busyUs),
    top,
    byCategory,
  };
}
