import type { TargetId } from '../targets/target';
import type { Chart } from './charts';
import { clusterBroadcastSection } from './cluster-broadcast-section';
import { passesSection } from './passes-section';
import { fmtInt, fmtMs, fmtRatio, ratio, rowsOf, table, withRatios } from './compare';
import { deliveredOf, GENERATOR_BOUND, generatorBound, generatorCpuOf, perConnectionKbOf, percentileOf, serverMicrosPerRequestOf, throughputOf } from './metrics';
import { PITAYA_ROW_CONFIG } from '../targets/pitaya-target';
import type { BenchReport, RunRecord, ScenarioId } from './report-types';

const MAIN: readonly TargetId[] = ['bare', 'pinus', 'pitaya'];
const NAMES: Readonly<Record<TargetId, string>> = {
  bare: 'bare ws/net',
  pinus: 'pinus 1.7.4',
  pitaya: 'pitaya-ts',
  'pitaya-uncompressed': 'pitaya-ts, compression off',
  'pitaya-prometheus': 'pitaya-ts, Prometheus reporter on',
  'pitaya-tracing': 'pitaya-ts, tracing sampled at 100 %',
  'bare-forward': 'bare ws → raw grpc-js',
  'pitaya-cluster': 'pitaya-ts frontend→backend',
  'bare-forward-nats': 'bare ws → raw NATS request/reply',
  'pitaya-cluster-nats': 'pitaya-ts frontend→backend over NATS',
  'pitaya-cluster-broadcast': 'pitaya-ts backend → 2 frontends',
};

/** A section that may be absent, spread into the report's list. */
function optional(part: string | undefined): string[] {
  return part === undefined ? [] : [part];
}

function pct(v: number | undefined): string {
  return v === undefined ? '–' : `${Math.round(v * 100)} %`;
}

function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${s} s`;
}

/** A cell: the value with its ratios to bare and pinus, or the error. */
function cell(r: RunRecord | undefined, metric: (r: RunRecord | undefined) => number | undefined, targets: Map<TargetId, RunRecord>, format: (v: number) => string): string {
  if (!r) return '–';
  if (r.error) return `not run: ${r.error.replace(/\|/g, '/')}`;
  const v = metric(r);
  if (v === undefined) return '–';
  return withRatios(format(v), v, metric(targets.get('bare')), metric(targets.get('pinus')), r.target) + flag(r);
}

/** ⚠ on a cell whose run had the generator above {@link GENERATOR_BOUND} of its core (see {@link GENERATOR_FOOTNOTE}). */
function flag(r: RunRecord | undefined): string {
  return generatorBound(r) ? ' ⚠' : '';
}

const GENERATOR_FOOTNOTE =
  `⚠ = the load generator used more than ${Math.round(GENERATOR_BOUND * 100)} % of its core in that run: the figure is what the generator could drive, ` +
  'a lower bound of the server\'s ceiling (and a ratio against a flagged bare figure overstates pitaya-ts).';

/** One table: a line per row, a column per main target. */
function comparison(runs: readonly RunRecord[], scenario: ScenarioId, metric: (r: RunRecord | undefined) => number | undefined, format: (v: number) => string): string {
  const rows = [...rowsOf(runs, scenario).entries()].map(([row, targets]) => [row, ...MAIN.map((t) => cell(targets.get(t), metric, targets, format))]);
  return rows.length === 0 ? '_not run_' : table(['case', ...MAIN.map((t) => NAMES[t])], rows);
}

function cpuCell(r: RunRecord | undefined): string {
  if (!r || r.error || !r.result || r.result.kind === 'idle') return '–';
  return `${pct(r.serverCpu)} / ${pct(r.result.generatorCpu)}${flag(r)}`;
}

/** Server CPU per answered request (µs): comparable even when the machine is shared. */
function cpuPerRequest(r: RunRecord | undefined): string {
  const us = serverMicrosPerRequestOf(r);
  return us === undefined ? '–' : us.toFixed(1);
}

/** Server µs/request with bare's µs ÷ this one (the efficiency ratio: ≥ 1 = as lean as bare). */
function microsCell(r: RunRecord | undefined, targets: Map<TargetId, RunRecord>): string {
  const us = serverMicrosPerRequestOf(r);
  if (!r || us === undefined) return '–';
  const bare = serverMicrosPerRequestOf(targets.get('bare'));
  return r.target === 'bare' || bare === undefined ? us.toFixed(1) : `${us.toFixed(1)} (bare ÷ this ${fmtRatio(ratio(bare, us))})`;
}

function section(title: string, ...parts: string[]): string {
  return [`## ${title}`, ...parts].join('\n\n');
}

/** The interleaved-pair scenarios this report ran (A-paired, B-paired). */
function pairedScenarios(report: BenchReport): ScenarioId[] {
  return (['A-paired', 'B-paired'] as const).filter((s) => report.runs.some((r) => r.scenario === s));
}

/** "The closed-loop echo goals are" / "The broadcast guard is": what the pairs judge; '' when none ran. */
function pairedJudged(report: BenchReport): string {
  const judged = pairedScenarios(report).map((s) => (s === 'A-paired' ? 'the closed-loop echo goals' : 'the broadcast guard'));
  if (judged.length === 0) return '';
  const text = judged.join(' and ');
  return `${text[0]!.toUpperCase()}${text.slice(1)} ${judged.length === 1 && judged[0] === 'the broadcast guard' ? 'is' : 'are'}`;
}

function goalsSection(report: BenchReport): string {
  const rows = report.goals.map((g) => [
    g.goal, g.pass === undefined ? 'n/a' : g.informational ? `info (${g.pass ? 'pass' : 'fail'})` : g.pass ? '**pass**' : '**FAIL**', g.measured, g.gap ?? '',
    g.passes ?? '', g.config ?? '', g.rule,
  ]);
  return section(
    'Goals',
    'Issue 14\'s goals, ratios from this run. "Pitaya defaults" = ' + PITAYA_ROW_CONFIG + '. "standalone": one pitaya-ts process with a ws and a tcp acceptor; ' +
      '"frontend→backend over gRPC": scenario D\'s pair, etcd discovery. The bare servers frame and answer the same packets and nothing else. "info" rows are reported, not judged. ' +
      (pairedJudged(report)
        ? `${pairedJudged(report)} judged on the interleaved pairs (${pairedScenarios(report).join(', ')}: bare and pitaya-ts both up, the generator alternating short windows between them, ` +
          'so the two windows of a pair see the same machine state): the verdict is the median of the pairs\' ratios, "every pass" gives their range and what the sequential passes ' +
          'alone say (best pass against best pass, and the median of their pass pairs). The other verdicts compare each target\'s best pass; '
        : 'Verdicts compare each target\'s best pass; ') +
      '"every pass" gives the ratio of each pass pair (pitaya-ts\'s k-th pass against the baseline\'s k-th) as median and range, ' +
      'so a verdict carried by one good pass shows (every pass of the judged rows: "Judged rows, pass by pass" below).',
    table(['goal', 'verdict', 'measured', 'gap', 'every pass', 'pitaya-ts configuration', 'rule'], rows),
    GENERATOR_FOOTNOTE,
  );
}

function echoSection(report: BenchReport): string {
  const runs = report.runs;
  const latency = [...rowsOf(runs, 'A-closed').entries()].map(([row, targets]) => [
    row,
    ...MAIN.map((t) => {
      const r = targets.get(t);
      if (!r || r.error) return '–';
      return withRatios(`${fmtMs(percentileOf(r, 'p50'))} / ${fmtMs(percentileOf(r, 'p99'))}`, percentileOf(r, 'p99'), percentileOf(targets.get('bare'), 'p99'), percentileOf(targets.get('pinus'), 'p99'), t);
    }),
  ]);
  const cpu = [...rowsOf(runs, 'A-closed').entries()].map(([row, targets]) => [row, ...MAIN.map((t) => cpuCell(targets.get(t)))]);
  const micros = [...rowsOf(runs, 'A-closed').entries()].map(([row, targets]) => [row, ...MAIN.map((t) => microsCell(targets.get(t), targets))]);
  const calibration = [...rowsOf(runs, 'A-generator').entries()].flatMap(([row, targets]) => {
    const library = targets.get('bare');
    const raw = rowsOf(runs, 'A-closed').get(row.replace(/ ws-library client$/, ''))?.get('bare');
    const line = (name: string, r: RunRecord | undefined): string[] => {
      const rate = throughputOf(r);
      const gen = generatorCpuOf(r);
      return [
        row.replace(/ ws-library client$/, ''), name, r?.error ? `not run: ${r.error}` : fmtInt(rate), `${pct(gen)}${flag(r)}`,
        gen === undefined || !rate ? '–' : ((gen * 1e6) / rate).toFixed(1), pct(r?.serverCpu),
      ];
    };
    const defaultClient = raw?.generator === 'native' ? 'native generator (default)' : 'raw `net` client (default)';
    return [line(defaultClient, raw), line('Node generator, `ws` package client', library)];
  });
  const open = [...rowsOf(runs, 'A-open').entries()].flatMap(([row, targets]) =>
    MAIN.map((t) => {
      const r = targets.get(t);
      const x = r?.result;
      if (!r || r.error || !x || x.kind !== 'echo-open') return [row, NAMES[t], r?.error ? `not run: ${r.error}` : '–', '', '', '', '', '', ''];
      const p99 = percentileOf(r, 'p99');
      return [
        row, NAMES[t], fmtInt(r.ratePerSec), fmtInt(x.throughput),
        fmtMs(x.latency.p50), withRatios(fmtMs(p99), p99, percentileOf(targets.get('bare'), 'p99'), percentileOf(targets.get('pinus'), 'p99'), t),
        fmtMs(x.latency.p999), fmtMs(x.latency.max), `${x.lost} / ${x.shed}`,
      ];
    }),
  );
  const comp = [...rowsOf(runs, 'A-compression').entries()].map(([row, targets]) => {
    const off = targets.get('pitaya-uncompressed');
    const closed = rowsOf(runs, 'A-closed').get(row);
    const v = throughputOf(off);
    return [
      row, off?.error ? `not run: ${off.error}` : fmtInt(v),
      fmtRatio(ratio(v, throughputOf(closed?.get('pitaya')))), fmtRatio(ratio(v, throughputOf(closed?.get('bare')))), fmtRatio(ratio(v, throughputOf(closed?.get('pinus')))),
      fmtMs(percentileOf(off, 'p99')), pct(off?.serverCpu),
    ];
  });
  const schemaRows = [...rowsOf(runs, 'A-schema').entries()].filter(([row]) => row.endsWith(' plain')).map(([row, targets]) => {
    const base = row.slice(0, -' plain'.length);
    const plain = targets.get('pitaya');
    const validated = rowsOf(runs, 'A-schema').get(`${base} schema`)?.get('pitaya');
    const err = plain?.error ?? validated?.error;
    if (err) return [base, `not run: ${err.replace(/\|/g, '/')}`, '', '', '', ''];
    return [
      base, fmtInt(throughputOf(plain)), fmtInt(throughputOf(validated)), fmtRatio(ratio(throughputOf(validated), throughputOf(plain))),
      `${fmtMs(percentileOf(plain, 'p99'))} / ${fmtMs(percentileOf(validated, 'p99'))}`, `${cpuPerRequest(plain)} / ${cpuPerRequest(validated)}`,
    ];
  });
  const observability = [...rowsOf(runs, 'A-observability').entries()].flatMap(([row, targets]) =>
    (['pitaya', 'pitaya-prometheus', 'pitaya-tracing'] as const).flatMap((t) => {
      const on = targets.get(t);
      if (!on) return [];
      const v = throughputOf(on);
      const off = targets.get('pitaya') ?? rowsOf(runs, 'A-closed').get(row)?.get('pitaya');
      const cpuPerRequest = (r: RunRecord | undefined): number | undefined => {
        const cpu = r?.serverCpu;
        const rate = throughputOf(r);
        return cpu === undefined || rate === undefined || rate === 0 ? undefined : (cpu / rate) * 1e6;
      };
      const us = cpuPerRequest(on);
      return [[
        row, t === 'pitaya' ? 'pitaya-ts, observability off' : NAMES[t], on.error ? `not run: ${on.error}` : fmtInt(v), t === 'pitaya' ? '1' : fmtRatio(ratio(v, throughputOf(off))),
        fmtMs(percentileOf(on, 'p99')), pct(on.serverCpu), us === undefined ? '–' : us.toFixed(1), t === 'pitaya' || us === undefined ? '' : fmtRatio(ratio(us, cpuPerRequest(off))),
      ]];
    }),
  );
  return section(
    'A · Echo request/response',
    'Closed loop: every client keeps exactly one request in flight; figures are answered requests per second in the window. ' +
      'Ratios in brackets are to the bare server and to pinus **of this same run**.',
    '### Throughput (requests/s)',
    comparison(runs, 'A-closed', throughputOf, fmtInt),
    GENERATOR_FOOTNOTE,
    '### Round-trip latency in the closed loop (p50 / p99, ms; ratios on p99)',
    latency.length ? table(['case', ...MAIN.map((t) => NAMES[t])], latency) : '_not run_',
    '### CPU during the window (server / load generator, 1 core = 100 %)',
    'When the generator is near its core and the server is not, the row measures the generator, not the server: the "bare limit" is then a lower bound of the machine\'s ceiling.',
    cpu.length ? table(['case', ...MAIN.map((t) => NAMES[t])], cpu) : '_not run_',
    GENERATOR_FOOTNOTE,
    '### Server CPU per request (µs: server CPU time in the window ÷ requests answered in it)',
    'Less sensitive to a busy machine or a generator-bound row than req/s. "bare ÷ this" is the issue\'s efficiency ratio (goal ≥ 0.9).',
    micros.length ? table(['case', ...MAIN.map((t) => NAMES[t])], micros) : '_not run_',
    '### Load generator calibration (bare server)',
    'The same bare row driven by the generator\'s raw WebSocket client (requests framed and masked once, responses scanned in place, on `net` sockets) and by the `ws` package\'s client, ' +
      'one after the other: what the generator\'s client costs per request, and how far it limits the bare rows.',
    calibration.length ? table(['case', 'generator client', 'req/s', 'generator CPU', 'generator µs/req', 'server CPU'], calibration) : '_not run_',
    '### Open loop: fixed offered load, latency from the intended send time (ms)',
    'Rates are fractions of the best bare closed-loop 64 B rate of this run, identical for every target. A request is timed from when it *should* have been sent, ' +
      'so a stall shows up in the percentiles instead of lowering the rate (no coordinated omission). `lost` = never answered within the drain time (counted at their age then); ' +
      '`shed` = turns skipped because a client already had 256 requests in flight.',
    open.length ? table(['case', 'target', 'offered/s', 'answered/s', 'p50', 'p99', 'p99.9', 'max', 'lost / shed'], open) : '_not run_',
    '### Compression off (pitaya-ts, echo 1 KB)',
    'Every `pitaya-ts` row runs with Pitaya\'s default `handler.messages.compression: true`, which deflates every reply ≥ 256 B when that shrinks it (the 1 KB payload is ' +
      'pseudo-random text, deflating to ~75 %; 64 B replies are never deflated). This row is the same app with compression off, to show what the 1 KB rows pay for it; bare and pinus never compress.',
    comp.length ? table(['case', 'req/s (compression off)', '× pitaya-ts (default, on)', '× bare', '× pinus', 'p99 ms', 'server CPU'], comp) : '_not run_',
    '### Declared schema (pitaya-ts, echo body validated by zod)',
    'The same server and clients, back to back: `bench.echo` (no schema) then `bench.echoValidated` (`@Route({ request: z.object({ pad: z.string() }) })`: ' +
      'the body is validated and the handler gets zod\'s output). `npm run bench -- --schema-only` runs only these rows.',
    schemaRows.length ? table(['case', 'plain req/s', 'validated req/s', '× plain', 'p99 ms plain / validated', 'server CPU µs/req plain / validated'], schemaRows) : '_not run_',
    report.schemaCost?.length
      ? 'Per message, measured in one process on the same serializer and schema (fastest of interleaved batches: other load only adds time):\n\n' +
        table(['body', 'JSON decode', 'decode + validate', 'validation'], report.schemaCost.map((c) => [
          `${c.payloadBytes} B`, `${Math.round(c.decodeNs)} ns`, `${Math.round(c.decodeAndValidateNs)} ns`, `${Math.round(c.validateNs)} ns (${c.rounds} × ${c.batch.toLocaleString('en-US')})`,
        ]))
      : '',
    '### Observability on (pitaya-ts, echo)',
    'The same echo with `@pitaya-ts/observability`: the Prometheus reporter observing every message, or tracing with every message sampled ' +
      '(spans exported over OTLP/HTTP to a sink outside the server). "× off" is the plain `pitaya-ts` app measured just before them (tracing off = the no-op tracer); ' +
      '"CPU µs/req" is the server\'s CPU time per answered request, less sensitive to a busy machine than req/s.',
    observability.length ? table(['case', 'target', 'req/s', '× off', 'p99 ms', 'server CPU', 'CPU µs/req', 'CPU × off'], observability) : '_not run_',
  );
}

function broadcastSection(report: BenchReport): string {
  const runs = report.runs;
  const rate = [...rowsOf(runs, 'B-rate').entries()].map(([row, targets]) => [
    row,
    ...MAIN.map((t) => {
      const r = targets.get(t);
      if (!r) return '–';
      if (r.error) return `not run: ${r.error}`;
      const p99 = percentileOf(r, 'p99');
      return withRatios(`${fmtMs(percentileOf(r, 'p50'))} / ${fmtMs(p99)} ms, ${fmtInt(deliveredOf(r))}/s`, p99, percentileOf(targets.get('bare'), 'p99'), percentileOf(targets.get('pinus'), 'p99'), t);
    }),
  ]);
  return section(
    'B · Group broadcast',
    `Members join rooms (bind a uid, join the group/channel); the last member of each room broadcasts \`{ts, room, pad}\` (${report.plan.broadcastPayload} B) and every member, the sender included, receives the push. ` +
      'Latency = receive time − `ts`; sender and receivers are in the generator process and share its clock.',
    '### Capacity: closed loop, ≥ 64 broadcasts in flight in total (max(1, ⌈64 / rooms⌉) per room; a room sends again when its sender gets its own copy) — delivered pushes/s',
    comparison(runs, 'B-closed', deliveredOf, fmtInt),
    `### Fixed rate: ${report.plan.ratePerSender} msg/s per sender (p50 / p99 end-to-end, delivered/s; ratios on p99)`,
    rate.length ? table(['case', ...MAIN.map((t) => NAMES[t])], rate) : '_not run_',
  );
}

function idleSection(report: BenchReport): string {
  const rows = [...rowsOf(report.runs, 'C-idle').entries()].flatMap(([row, targets]) =>
    MAIN.map((t) => {
      const r = targets.get(t);
      const x = r?.result;
      if (!r || r.error || !x || x.kind !== 'idle') return [row, NAMES[t], r?.error ? `not run: ${r.error}` : '–', '', '', '', '', ''];
      const kb = perConnectionKbOf(r);
      return [
        row, NAMES[t], `${fmtInt(x.connected)} / ${fmtInt(x.attempted)}`, fmtInt(x.failures), fmtInt(x.connectRate),
        fmtMs(x.handshake.p99), r.memory ? `${fmtInt(r.memory.beforeKb / 1024)} → ${fmtInt(r.memory.afterKb / 1024)}` : '–',
        withRatios(kb === undefined ? '–' : kb.toFixed(1), kb, perConnectionKbOf(targets.get('bare')), perConnectionKbOf(targets.get('pinus')), t),
      ];
    }),
  );
  return section(
    'C · Idle connections',
    `Fresh server per target; ${fmtInt(report.plan.idleConnections)} WebSocket clients connected at ≤ ${fmtInt(report.plan.idleConnectRate)}/s (200 handshakes in flight at most), each completing the handshake then silent. ` +
      'Memory = server VmRSS (/proc/<pid>/status) before the ramp and 1.5 s after it, divided by the connections still open.',
    rows.length ? table(['case', 'target', 'connected', 'failures', 'connects/s', 'handshake p99 ms', 'RSS MiB', 'KiB per connection'], rows) : '_not run_',
  );
}

const TRANSPORT_PAIRS = [
  { transport: 'gRPC', bare: 'bare-forward', pitaya: 'pitaya-cluster' },
  { transport: 'NATS', bare: 'bare-forward-nats', pitaya: 'pitaya-cluster-nats' },
] as const;

function clusterSection(report: BenchReport): string {
  const status = (id: TargetId): string => report.targets.find((t) => t.id === id)?.status ?? 'not run';
  const describe = (id: TargetId): string => report.targets.find((t) => t.id === id)?.description ?? '';
  const rows = [...rowsOf(report.runs, 'D-forward').entries()].flatMap(([row, targets]) => TRANSPORT_PAIRS.map((pair) => {
    const r = targets.get(pair.pitaya);
    const bare = targets.get(pair.bare);
    const standalone = rowsOf(report.runs, 'A-closed').get(row.replace('D-forward', 'A-closed'));
    const v = throughputOf(r);
    return [
      row, pair.transport, bare?.error ? `not run: ${bare.error}` : `${fmtInt(throughputOf(bare))} (p99 ${fmtMs(percentileOf(bare, 'p99'))} ms)`,
      r?.error ? `not run: ${r.error}` : fmtInt(v),
      fmtRatio(ratio(v, throughputOf(bare))),
      fmtRatio(ratio(v, throughputOf(targets.get('pitaya-cluster')))),
      fmtRatio(ratio(v, throughputOf(standalone?.get('pitaya')))), fmtRatio(ratio(v, throughputOf(standalone?.get('pinus')))),
      fmtMs(percentileOf(r, 'p50')), fmtMs(percentileOf(r, 'p99')), pct(r?.serverCpu),
    ];
  }));
  return section(
    'D · Forwarded request frontend → backend (gRPC and NATS) — oversubscribed: 2 processes on 2 cores',
    `Status: gRPC **${status('pitaya-cluster')}**, NATS **${status('pitaya-cluster-nats')}**. ${describe('pitaya-cluster')}. NATS: ${describe('pitaya-cluster-nats')}. ` +
      'Each transport has its own baseline on the same cores: the bare ws server forwarding each echo body in one grpc-js unary call to a raw grpc-js echo server, ' +
      'or in one raw NATS request/reply to a raw nats.js echo subscriber — the ceiling of a forwarded request on that transport. CPU is the frontend\'s.',
    rows.length ? table(['case', 'transport', 'bare forward req/s (same transport)', 'pitaya-ts req/s', '× bare forward', '× pitaya-ts gRPC', '× pitaya-ts standalone', '× pinus (standalone)', 'p50 ms', 'p99 ms', 'frontend CPU'], rows) : '_not run_',
  );
}

function bootSection(report: BenchReport): string {
  const b = report.boot;
  if (!b) return section('E · Bootstrap', '_not run_');
  const samples = b.samples.map((s, i) => [String(i + 1), s.requireMs.toFixed(1), s.generateMs.toFixed(1), s.createMs.toFixed(1), s.startMs.toFixed(1), (s.createMs + s.startMs).toFixed(1)]);
  return section(
    'E · Bootstrap of 100 generated handler classes',
    `${b.handlers} \`@Handler\` classes × 5 routes (${b.routes} routes), each injecting one of 10 generated services that inject \`GROUPS\`; decorators applied at run time with \`Reflect.decorate\` ` +
      `and the \`design:*\` metadata tsc would emit. Each sample is a fresh process pinned to CPU 0. **Median \`Pitaya.create()\` + \`start()\`: ${b.medianCreateStartMs.toFixed(1)} ms** ` +
      `(create ${b.medianCreateMs.toFixed(1)} ms, start ${b.medianStartMs.toFixed(1)} ms; loading \`@pitaya-ts/core\` itself ${b.medianRequireMs.toFixed(1)} ms).` +
      (b.error ? ` Error: ${b.error}` : ''),
    samples.length ? table(['run', 'require ms', 'generate ms', 'create ms', 'start ms', 'create+start ms'], samples) : '',
  );
}

function profileSection(report: BenchReport): string {
  const p = report.profile;
  if (!p) return section('Profile (pitaya-ts)', '_not run (use `--profile`)_');
  if (p.error) return section('Profile (pitaya-ts)', `Failed: ${p.error}`);
  const top = p.top.map((e) => [`\`${e.functionName}\``, `\`${e.location}\``, e.category, e.microsPerMessage.toFixed(2), pct(e.share)]);
  const cats = p.byCategory.map((c) => [c.category, c.microsPerMessage.toFixed(2), pct(c.share)]);
  return section(
    'Profile: where pitaya-ts spends its time (scenario A, closed loop, 64 B, WebSocket)',
    `\`node --cpu-prof\` on the server during a ${p.clients}-client run; ${fmtInt(p.messages)} requests answered in ${(p.profiledMs / 1000).toFixed(1)} s of profile ` +
      `(start-up left out). Busy CPU per request: **${p.busyMicrosPerMessage.toFixed(1)} µs**. Self time per function, divided by the requests answered; ` +
      'locations are compiled `dist/` lines.',
    '### By layer',
    table(['layer', 'µs / request', 'share of busy CPU'], cats),
    '### Top functions (self time)',
    table(['function', 'location', 'layer', 'µs / request', 'share'], top),
  );
}

/** How the report's rows were repeated, for its header. */
function passesText(goalRepeats: number): string {
  return goalRepeats > 0 ? `judged rows best of ${goalRepeats + 1} interleaved passes per target, other rows one pass` : 'one repetition per case';
}

/** The Markdown report; `charts` are referenced by file name next to it. */
export function renderMarkdown(report: BenchReport, chartFiles: readonly { chart: Chart; file: string }[]): string {
  const m = report.machine;
  const targets = table(['target', 'status', 'what'], report.targets.map((t) => [t.label, t.status, t.description]));
  const head = [
    `# pitaya-ts benchmark — ${report.mode} run, ${report.startedAt.slice(0, 10)}`,
    [
      `- **Command:** \`${report.command}\``,
      `- **Started:** ${report.startedAt}; **duration:** ${duration(report.durationMs)}`,
      `- **Machine:** ${m.cpuModel}, ${m.cores} cores, ${m.memoryGiB} GiB RAM; ${m.os} (kernel ${m.kernel}); Node ${m.node}; \`ulimit -n\` ${m.fdLimit}`,
      `- **Pinning:** ${report.pinning}. All traffic on 127.0.0.1.`,
      ...(report.serverNodeFlags?.length
        ? [`- **Node flags of every server** (bare, pinus, pitaya-ts, forwarders, cluster processes): \`${report.serverNodeFlags.join(' ')}\`: caps V8's young generation, which a framework's start-up otherwise grows to 16 MB and which then pauses ~1.3 ms per scavenge; the bare server stays under the cap on its own (docs/architecture.md, Performance).`]
        : []),
      ...(report.echoGenerator ? [`- **Load generator of the echo and broadcast rows:** ${report.echoGenerator}; idle rows and the calibration row: the Node generator.`] : []),
      `- **Windows:** warm-up ${report.plan.warmupMs / 1000} s, measured ${report.plan.measureMs / 1000} s (open loop ${report.plan.openMeasureMs / 1000} s); ${passesText(report.plan.goalRepeats)}; ` +
        'latencies from an HDR histogram at 1 µs resolution (3 significant digits).',
    ].join('\n'),
    targets,
  ];
  const charts = chartFiles.map(({ chart, file }) => `![${chart.title}](./${file})`).join('\n\n');
  const method = section(
    'Method and caveats',
    [
      '- One load-generator process (`dist/generator/worker.js`) drives every client with the Pitaya wire protocol: over WebSocket with its own client on raw `net` sockets (fixed-key upgrade, one masked binary frame per packet, each request frame built and masked once and only its id patched, responses scanned in place), or raw TCP. The orchestrator reads the server\'s CPU and memory from `/proc` at the window edges; the generator reports its own CPU.',
      ...(report.echoGenerator?.startsWith('native')
        ? ['- The echo and broadcast rows (A, B, D, the cluster broadcast, the schema, observability and compression rows; not the calibration row or the idle ramp) run on the native generator instead, a child of that process on the same core: one C epoll loop over non-blocking sockets, each request encoded once by `@pitaya-ts/protocol` with only its id patched, responses and pushes scanned in place, no allocation after connecting. It costs its core about half of what the server spends per echo, so the echo rows measure the server: the Node generator saturated its core before the servers did, and a saturated generator made the ratios swing by up to 40 % from pass to pass.']
        : []),
      '- Every target answers the same packets: handshake → ack → `echo` requests, `join` requests, `send` notifies broadcast as `onMsg` pushes. JSON everywhere; pitaya-ts with Pitaya\'s default compression (from 256 B), bare and pinus without.',
      `- On 2 cores the generator is one process on one core. A row where it used more than ${Math.round(GENERATOR_BOUND * 100)} % of its core is flagged ⚠: its figure is a lower bound of the server's ceiling, and a ratio against a flagged bare figure overstates pitaya-ts.`,
      '- The open-loop rates are derived from the bare maximum of this run, so every target receives the same offered load; a target slower than that rate shows it as queueing latency, lost and shed requests.',
      report.plan.goalRepeats > 0
        ? `- The judged rows (A goal echo rows, the open loop at 50 %, B closed loop, D over gRPC, the cluster broadcast) ran ${report.plan.goalRepeats + 1} times per target: the main pass, then ${report.plan.goalRepeats} extra pass(es) each restarting bare then pitaya-ts (the bare forwarder then the pitaya-ts pair for D, standalone then the cluster for B-cluster), so the targets alternate in time; the open loop offers the main pass's rate every time. Every table shows each target's best pass (highest req/s or delivered/s, lowest p99 for the open loop; that pass's other figures with it): the machine's interference only ever worsens a figure. Other rows ran once: treat differences under ~10 % there as noise.`
        : '- One repetition per case: treat differences under ~10 % as noise.',
      ...(pairedJudged(report)
        ? [`- ${pairedJudged(report)} judged on ${pairedScenarios(report).join(' and ')}${pairedScenarios(report).includes('B-paired') ? ' (B-paired: the closed-loop broadcast rows, after the echo rows, same servers and windows)' : ''}, run last before the cluster broadcast: bare and pitaya-ts started together (both on the server core), each primed once, then for every judged row ${report.plan.pairedPasses} pairs of ${(report.plan.pairedWarmupMs / 1000).toFixed(1)} s warm-up + ${(report.plan.pairedMeasureMs / 1000).toFixed(1)} s windows, bare first in odd pairs and pitaya-ts first in even ones, fresh connections every window. The sequential passes above run a side's windows minutes after the other's, and on this host the same server's speed moves by up to ±25 % over minutes, which decides a best-pass verdict by which side got the faster minutes; the two windows of a pair run seconds apart. The verdict is the median pair ratio; the range and the sequential verdicts are printed beside it.`]
        : []),
    ].join('\n'),
  );
  return [
    ...head,
    goalsSection(report),
    ...optional(passesSection(report)),
    section('Charts', charts),
    echoSection(report),
    broadcastSection(report),
    idleSection(report),
    clusterSection(report),
    clusterBroadcastSection(report),
    bootSection(report),
    profileSection(report),
    method,
  ].join('\n\n') + '\n';
}
