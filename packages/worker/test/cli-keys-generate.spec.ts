// `paystream keys generate` and `keys check` as an operator runs them: owner-only private keys, created
// exclusively, so neither a second run nor two runs at once can overwrite or mix a key pair.
import { execFile } from 'node:child_process';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { spkiFingerprint } from '@paystream/core';

const run = promisify(execFile);
const main = join(import.meta.dirname, '../src/cli/main.ts');
const dir = mkdtempSync(join(tmpdir(), 'paystream-keys-generate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(...args: string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [main, ...args], { env: { ...process.env } });
    return { code: 0, output: stdout + stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, output: e.stdout + e.stderr };
  }
}

const generate = (out: string): Promise<{ code: number; output: string }> => cli('keys', 'generate', '--out', out, '--json');

describe('paystream keys generate', () => {
  it('writes the private key with mode 0600 whatever the umask, and refuses to overwrite either file', { timeout: 60_000 }, async () => {
    const out = join(dir, 'one');
    const first = await generate(out);
    expect(first.code, first.output).toBe(0);
    const privatePath = join(out, 'merchant-private.pem');
    expect(statSync(privatePath).mode & 0o777).toBe(0o600);
    const before = readFileSync(privatePath, 'utf8');
    const again = await generate(out);
    expect(again.code).toBe(73);
    expect(again.output).toContain('PS_ERR_KEY_EXISTS');
    expect(readFileSync(privatePath, 'utf8')).toBe(before);

    // Only the public key is there (an earlier pair half removed): refused too, and no private key is left behind.
    const half = join(dir, 'half');
    mkdirSync(half);
    writeFileSync(join(half, 'merchant-public.pem'), 'registered key');
    const refused = await generate(half);
    expect(refused.code).toBe(73);
    expect(refused.output).toContain('PS_ERR_KEY_EXISTS');
    expect(() => statSync(join(half, 'merchant-private.pem'))).toThrow();
  });

  it('keys check refuses a private key group or others may read, with the chmod that fixes it', { timeout: 60_000 }, async () => {
    const out = join(dir, 'exposed');
    expect((await generate(out)).code).toBe(0);
    const privatePath = join(out, 'merchant-private.pem');
    expect((await cli('keys', 'check', privatePath)).code).toBe(0);
    chmodSync(privatePath, 0o640);
    const r = await cli('keys', 'check', privatePath, join(out, 'merchant-public.pem'));
    expect(r.code).toBe(1);
    expect(r.output).toContain(`BAD  ${privatePath}: ${privatePath}: the file is readable or writable by group or others (mode 0640)`);
    expect(r.output).toContain(`chmod 600 ${privatePath}`);
    expect(r.output).toMatch(/ok {3}.*merchant-public\.pem/);
  });

  it('of four runs racing into one folder, exactly one writes, and the pair it leaves matches', { timeout: 120_000 }, async () => {
    const out = join(dir, 'race');
    const results = await Promise.all(Array.from({ length: 4 }, () => generate(out)));
    expect(results.filter((r) => r.code === 0)).toHaveLength(1);
    for (const loser of results.filter((r) => r.code !== 0)) expect(loser.output).toContain('PS_ERR_KEY_EXISTS');
    const privateKey = createPrivateKey(readFileSync(join(out, 'merchant-private.pem')));
    const publicKey = createPublicKey(readFileSync(join(out, 'merchant-public.pem')));
    expect(spkiFingerprint(privateKey)).toBe(spkiFingerprint(publicKey));
    expect(statSync(join(out, 'merchant-private.pem')).mode & 0o777).toBe(0o600);
  });
});
