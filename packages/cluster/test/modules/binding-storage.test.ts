import { Etcd3 } from 'etcd3';
import { BINDING_NOT_FOUND_MESSAGE, EtcdBindingStorage, type EtcdBindingStorageOptions } from '@pitaya-ts/cluster/internal';
import { startEtcd, waitFor, type EtcdHandle } from '@pitaya-ts/testing';
import { capturingLogger, uniquePrefix } from '../helpers';

let etcd: EtcdHandle;
let raw: Etcd3;
const running: EtcdBindingStorage[] = [];

beforeAll(async () => {
  etcd = await startEtcd();
  raw = new Etcd3({ hosts: etcd.endpoint });
});

afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop()));
});

afterAll(async () => {
  raw?.close();
  await etcd?.stop();
});

async function storage(id: string, type: string, options: EtcdBindingStorageOptions): Promise<EtcdBindingStorage> {
  const s = new EtcdBindingStorage({ endpoints: [etcd.endpoint], ...options }, { server: { id, type }, logger: capturingLogger().logger });
  running.push(s);
  await s.start();
  return s;
}

describe('EtcdBindingStorage', () => {
  it('puts, reads and removes bindings under <prefix>bindings/<frontendType>/<uid>', async () => {
    const prefix = uniquePrefix();
    const fe = await storage('fe-1', 'connector', { prefix });
    await fe.putBinding('user-1');
    expect(await raw.get(`${prefix}bindings/connector/user-1`).string()).toBe('fe-1');
    expect(await fe.getUserFrontendId('user-1', 'connector')).toBe('fe-1');
    // Another frontend type has its own namespace of bindings.
    await expect(fe.getUserFrontendId('user-1', 'gate')).rejects.toThrow(BINDING_NOT_FOUND_MESSAGE);
    expect(await fe.removeBinding('user-1')).toBe(true);
    await expect(fe.getUserFrontendId('user-1', 'connector')).rejects.toThrow('binding for this user was not found in etcd');
    expect(await fe.removeBinding('user-1')).toBe(false);
  });

  it('does not erase a newer binding written by another frontend (compare-and-delete)', async () => {
    const prefix = uniquePrefix();
    const fe1 = await storage('fe-1', 'connector', { prefix });
    const fe2 = await storage('fe-2', 'connector', { prefix });
    expect(await fe1.putBinding('user-1')).toBeUndefined();
    // The user reconnects to fe-2 before fe-1 closes the old session: the put says who held it (unique sessions use that).
    expect(await fe2.putBinding('user-1')).toBe('fe-1');
    expect(await fe2.putBinding('user-1')).toBe('fe-2');
    expect(await fe1.removeBinding('user-1')).toBe(false);
    expect(await fe2.getUserFrontendId('user-1', 'connector')).toBe('fe-2');
  });

  it('keeps bindings on a lease: revoked on stop, re-granted and re-put when lost', async () => {
    const prefix = uniquePrefix();
    const fe = await storage('fe-1', 'connector', { prefix, leaseTtlSeconds: 3, reconnectMaxDelayMs: 200 });
    await fe.putBinding('user-1');
    await fe.putBinding('user-2');
    const { kvs } = await raw.get(`${prefix}bindings/connector/user-1`).exec();
    const leaseId = kvs[0]?.lease ?? '0';
    expect(leaseId).not.toBe('0');

    // Another frontend took user-2 meanwhile: the restore must leave it alone.
    await raw.leaseClient.leaseRevoke({ ID: leaseId });
    await raw.put(`${prefix}bindings/connector/user-2`).value('fe-2');
    await waitFor(async () => (await raw.get(`${prefix}bindings/connector/user-1`).string()) === 'fe-1', {
      message: 'user-1 to be re-put on a new lease',
    });
    expect(await raw.get(`${prefix}bindings/connector/user-2`).string()).toBe('fe-2');
    const renewed = await raw.get(`${prefix}bindings/connector/user-1`).exec();
    expect(renewed.kvs[0]?.lease).not.toBe(leaseId);

    await fe.stop();
    expect(await raw.get(`${prefix}bindings/connector/user-1`).exists()).toBe(false);
    expect(await raw.get(`${prefix}bindings/connector/user-2`).string()).toBe('fe-2');
  });

  it('validates uids and refuses to work before start', async () => {
    const fe = await storage('fe-1', 'connector', { prefix: uniquePrefix() });
    await expect(fe.putBinding('a/b')).rejects.toThrow(/must not contain "\/"/);
    await expect(fe.putBinding('')).rejects.toThrow(/non-empty/);
    const idle = new EtcdBindingStorage({ endpoints: [etcd.endpoint] }, { server: { id: 'x', type: 'connector' }, logger: capturingLogger().logger });
    await expect(idle.putBinding('u')).rejects.toThrow(/not started/);
    await idle.stop();
  });
});
