// The repository's secretlint configuration catches what must never be committed: private keys in
// any PEM flavour and Midtrans server and client keys, and passes ordinary source.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { filesToScan, runSecretlint } from './secretlint.ts';

const root = join(import.meta.dirname, '../../../..');
const dir = mkdtempSync(join(tmpdir(), 'paystream-secretlint-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;

describe('secretlint with the repository configuration', () => {
  it.each([
    ['a PKCS#8 private key', 'key.pem', rsa.export({ type: 'pkcs8', format: 'pem' }).toString()],
    [
      'a PKCS#1 private key inside source',
      'config.ts',
      `export const key = \`${rsa.export({ type: 'pkcs1', format: 'pem' }).toString()}\`;\n`,
    ],
    ['an EC private key', 'ec.txt', ec.export({ type: 'sec1', format: 'pem' }).toString()],
    [
      'a Midtrans server key',
      'env.ts',
      `const serverKey = '${['SB', 'Mid', 'server'].join('-')}-${randomBytes(18).toString('base64url')}';\n`,
    ],
    [
      'a Midtrans client key',
      'front.ts',
      `const clientKey = '${['SB', 'Mid', 'client'].join('-')}-${randomBytes(12).toString('base64url')}';\n`,
    ],
  ])('finds %s', async (_what, name, text) => {
    expect(await runSecretlint(root, [file(name, text)], { quiet: true })).not.toBe(0);
  });

  it('passes ordinary source, including the code that generates keys at test time', async () => {
    const clean = file('clean.ts', "const label = ['PRIVATE', 'KEY'].join(' ');\nconst serverKey = `SB-Mid-server-${suffix}`;\n");
    expect(await runSecretlint(root, [clean, join(root, 'packages/core/test/certs.ts')], { quiet: true })).toBe(0);
  });

  it('scans every tracked or addable file of the working tree, and nothing git ignores', () => {
    const files = filesToScan(root);
    expect(files).toContain('test/security/src/ci/secretlint.spec.ts');
    expect(files).toContain('package-lock.json');
    expect(files.some((f) => f.includes('node_modules/') || f.startsWith('.local/'))).toBe(false);
  });
});
