/**
 * A throwaway certificate authority for the local Tencent Cloud API double: openssl makes a CA and a
 * leaf for *.tencentcloudapi.com in a temp dir. The deploy under test runs as a child process with
 * NODE_EXTRA_CA_CERTS pointing at the CA, so the library talks real TLS to the real host names and
 * nothing in it is patched. Test fixture only: generated per run, never committed.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCa {
  caFile: string;
  key: string;
  cert: string;
}

let cached: TestCa | undefined;

export function testCa(): TestCa {
  if (cached) return cached;
  const dir = mkdtempSync(join(tmpdir(), 'test-ca-'));
  const p = (f: string) => join(dir, f);
  const ssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', p('ca.key'), '-out', p('ca.pem'), '-days', '2', '-subj', '/CN=wxcloud-pay test CA');
  ssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', p('leaf.key'), '-out', p('leaf.csr'), '-subj', '/CN=*.tencentcloudapi.com');
  writeFileSync(p('ext.cnf'), 'subjectAltName=DNS:*.tencentcloudapi.com,DNS:tencentcloudapi.com\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n');
  ssl('x509', '-req', '-in', p('leaf.csr'), '-CA', p('ca.pem'), '-CAkey', p('ca.key'), '-CAcreateserial', '-out', p('leaf.pem'), '-days', '2', '-extfile', p('ext.cnf'));
  cached = { caFile: p('ca.pem'), key: readFileSync(p('leaf.key'), 'utf8'), cert: readFileSync(p('leaf.pem'), 'utf8') };
  return cached;
}
