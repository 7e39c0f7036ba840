import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** PEM texts of a throwaway certificate authority and leaves it signed (no key is ever committed). */
export interface TestCertificates {
  readonly ca: string;
  /** A server certificate for `localhost` and 127.0.0.1. */
  readonly server: { readonly cert: string; readonly key: string };
  /** A client certificate (for mTLS). */
  readonly client: { readonly cert: string; readonly key: string };
  /** A client certificate from another CA: must be refused by an mTLS server. */
  readonly stranger: { readonly cert: string; readonly key: string };
}

function openssl(dir: string, args: string[]): void {
  const result = spawnSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  if (result.status !== 0) throw new Error(`openssl ${args[0]} failed: ${result.stderr?.toString() ?? result.error?.message}`);
}

/** Makes a CA, a server and two client certificates with the openssl CLI, valid for a day. */
export function testCertificates(): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), 'pitaya-ca-'));
  try {
    const ca = (name: string): void =>
      openssl(dir, ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', `/CN=${name}`, '-keyout', `${name}.key`, '-out', `${name}.crt`]);
    const leaf = (name: string, issuer: string, ext: string): void => {
      openssl(dir, ['req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${name}`, '-keyout', `${name}.key`, '-out', `${name}.csr`]);
      writeFileSync(join(dir, `${name}.ext`), ext);
      openssl(dir, ['x509', '-req', '-in', `${name}.csr`, '-CA', `${issuer}.crt`, '-CAkey', `${issuer}.key`, '-CAcreateserial', '-days', '1', '-extfile', `${name}.ext`, '-out', `${name}.crt`]);
    };
    ca('test-ca');
    ca('other-ca');
    leaf('server', 'test-ca', 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
    leaf('client', 'test-ca', 'extendedKeyUsage=clientAuth\n');
    leaf('stranger', 'other-ca', 'extendedKeyUsage=clientAuth\n');
    const read = (file: string): string => readFileSync(join(dir, file), 'utf8');
    const pair = (name: string): { cert: string; key: string } => ({ cert: read(`${name}.crt`), key: read(`${name}.key`) });
    return { ca: read('test-ca.crt'), server: pair('server'), client: pair('client'), stranger: pair('stranger') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
