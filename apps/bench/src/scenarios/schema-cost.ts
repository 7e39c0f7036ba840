import { JsonSerializer, NoopMetricsReporter, prepareValidator } from '@pitaya-ts/core';
import type { SchemaCostRecord } from '../report/report-types';
import { EchoBody } from '../servers/bench-module';
import { echoPayload } from '../wire/payloads';

const ROUNDS = 41;
const BATCH = 5_000;


/**
 * What validating the echo body costs per message, measured in this process on the exact objects the
 * server uses (JSON serializer, the bench's zod schema prepared like a route's): batches of decode and
 * of decode + validate are interleaved and the fastest round of each kept: load from other processes
 * only ever adds time, so the minimum is the closest to the intrinsic cost on a shared machine. Complements the A-schema rows, whose
 * throughput on a busy 2-core machine is mostly the generator's.
 */
export function measureSchemaCost(payloads: readonly number[]): SchemaCostRecord[] {
  const serializer = new JsonSerializer();
  const validate = prepareValidator(EchoBody, new NoopMetricsReporter());
  return payloads.map((payloadBytes) => {
    const payload = echoPayload(payloadBytes);
    let sink = 0;
    const decodeNs: number[] = [];
    const bothNs: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      let t = process.hrtime.bigint();
      for (let i = 0; i < BATCH; i++) sink += (serializer.decode(payload) as { pad: string }).pad.length;
      const decode = Number(process.hrtime.bigint() - t) / BATCH;
      t = process.hrtime.bigint();
      for (let i = 0; i < BATCH; i++) sink += (validate(serializer.decode(payload)) as { pad: string }).pad.length;
      const both = Number(process.hrtime.bigint() - t) / BATCH;
      decodeNs.push(decode);
      bothNs.push(both);
    }
    if (sink === 0) throw new Error('unreachable: keeps the loops from being optimised away');
    const decode = Math.min(...decodeNs);
    const both = Math.min(...bothNs);
    return { payloadBytes, decodeNs: decode, decodeAndValidateNs: both, validateNs: both - decode, rounds: ROUNDS, batch: BATCH };
  });
}
