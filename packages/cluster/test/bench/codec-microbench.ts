/**
 * In-process micro-benchmark of the forwarded-request (Sys Call) path's per-request codec work: a typical
 * `protos.Request` and `protos.Response` encoded then decoded (by the codecs in use and, for comparison,
 * by the reflection codec), and the RPC metadata built. Not a Jest test. From the repository root, after
 * `node scripts/build.js`:
 *   node -r esbuild-register packages/cluster/test/bench/codec-microbench.ts [runs=7]
 * Cases are measured in interleaved rounds so that a shared machine's load hits them alike; prints ns/op
 * per round and the median.
 */
import { createProtoCodec } from '../../src/protos/proto-codec';
import { pitayaCodecs } from '../../src/protos/pitaya-codecs';
import { MsgType, RPCType, type PitayaRequest, type PitayaResponse, type ProtoInit } from '../../src/protos/proto-types';
import { encodeRequestMetadata } from '../../src/rpc/rpc-metadata';

const self = { id: 'connector-2b6f0c1e-5d4a', type: 'connector' };
const sessionData = Buffer.from('{"ipversion":"ipv4","level":12}');
const payload = Buffer.from('{"text":"hello hello hello hello hello hello hello hello!!"}');
const route = 'room.room.echo';

const metadataBytes = encodeRequestMetadata(self, route, 5000);
const reflection = { Request: createProtoCodec<PitayaRequest>('protos.Request'), Response: createProtoCodec<PitayaResponse>('protos.Response') };
type Codecs = typeof reflection;

let sink = 0;

const requestRoundTrip = (codecs: Codecs) => (): void => {
  const value: ProtoInit<PitayaRequest> = {
    type: RPCType.Sys,
    session: { id: 123_456, uid: 'user-42', data: sessionData },
    msg: { id: 9_876, route, data: payload, type: MsgType.MsgRequest },
    frontendID: self.id,
    metadata: metadataBytes,
  };
  sink += codecs.Request.decode(codecs.Request.encode(value)).msg?.data.length ?? 0;
};

const responseRoundTrip = (codecs: Codecs) => (): void => {
  sink += codecs.Response.decode(codecs.Response.encode({ data: payload })).data.length;
};

const errorResponseRoundTrip = (codecs: Codecs) => (): void => {
  const decoded = codecs.Response.decode(codecs.Response.encode({ error: { code: 'PIT-404', msg: 'route not found', metadata: { route } } }));
  sink += decoded.error?.code.length ?? 0;
};

function metadata(): void {
  sink += encodeRequestMetadata(self, route, 5000).length;
}

function measure(fn: () => void, iterations: number): number {
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) fn();
  return Number(process.hrtime.bigint() - start) / iterations;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const runs = Number(process.argv[2] ?? 7);
const inUse = pitayaCodecs as Codecs;
const allCases: [string, () => void, number][] = [
  ['Request encode+decode, reflection codec', requestRoundTrip(reflection), 20_000],
  ['Request encode+decode, codec in use', requestRoundTrip(inUse), 100_000],
  ['Response encode+decode, reflection codec', responseRoundTrip(reflection), 50_000],
  ['Response encode+decode, codec in use', responseRoundTrip(inUse), 200_000],
  ['Response+Error encode+decode, reflection', errorResponseRoundTrip(reflection), 20_000],
  ['Response+Error encode+decode, in use', errorResponseRoundTrip(inUse), 100_000],
  ['encodeRequestMetadata', metadata, 200_000],
];
// An optional second argument keeps only the cases whose name contains it (e.g. `in use`).
const cases = allCases.filter(([name]) => process.argv[3] === undefined || name.includes(process.argv[3]));
const results = cases.map(([, fn, n]) => (measure(fn, n / 4), [] as number[])); // warm-up
for (let r = 0; r < runs; r++) cases.forEach(([, fn, n], i) => results[i]!.push(measure(fn, n)));
cases.forEach(([name], i) => {
  const xs = results[i]!;
  console.log(`${name.padEnd(42)} median ${median(xs).toFixed(0).padStart(6)} ns/op   rounds: ${xs.map((x) => x.toFixed(0)).join(' ')}`);
});
if (sink === 42) console.log('');
