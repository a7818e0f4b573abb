import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PaystreamError } from '../errors.ts';
import { readConfiguredFile, readSecretRef } from './secret-files.ts';

const dir = mkdtempSync(join(tmpdir(), 'paystream-secret-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function failure(read: () => unknown): PaystreamError {
  try {
    read();
  } catch (err) {
    if (PaystreamError.is(err)) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

/** Everything a caller could print of an error. */
function printed(err: PaystreamError): string {
  return `${String(err)} ${JSON.stringify(err)} ${err.stack ?? ''} ${JSON.stringify(err.cause ?? null)}`;
}

function file(name: string, content: string, mode: number): string {
  const path = join(dir, name);
  writeFileSync(path, content, { mode });
  chmodSync(path, mode);
  return path;
}

describe('reading configured files', () => {
  const label = ['PRIVATE', 'KEY'].join(' ');
  const pastedValues = {
    'a base64 secret with slashes': `${randomBytes(24).toString('base64')}/x+y/${randomBytes(8).toString('hex')}`,
    'a PEM key longer than a file name may be': `-----BEGIN ${label}-----\n${randomBytes(3000).toString('base64')}\n-----END ${label}-----\n`,
    'a value with a NUL byte': `secret-${randomBytes(8).toString('hex')}\0rest`,
    'a value naming a missing folder': `${dir}/no-such-dir/${randomBytes(8).toString('hex')}`,
  };

  for (const [kind, value] of Object.entries(pastedValues)) {
    it(`names the field, never the value, when it is ${kind}`, () => {
      const err = failure(() => readSecretRef(value, 'merchants.default.clientSecretFile', { private: true }));
      expect(err.code).toBe('PS_ERR_KEY_MISSING');
      expect(err.message).toMatch(
        /^merchants\.default\.clientSecretFile: cannot read the file it names \((no such file|not a file path|not a readable file)\)$/,
      );
      expect(printed(err)).not.toContain(value.split('\n')[1] ?? value);
      expect(printed(err)).not.toContain(value.slice(0, 20));
    });
  }

  it('refuses a folder and a FIFO as not regular files, without blocking on the FIFO', () => {
    expect(failure(() => readConfiguredFile(dir, 'tls.caFiles.0')).message).toBe(
      'tls.caFiles.0: cannot read the file it names (not a regular file)',
    );
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', ['-m', '600', fifo]);
    expect(failure(() => readConfiguredFile(fifo, 'events.signingKeyFiles.0', { private: true })).message).toContain('not a regular file');
  });

  it('refuses a file too large to be a key without reading it', () => {
    const big = file('big.log', 'x'.repeat(1024 * 1024 + 1), 0o600);
    expect(failure(() => readConfiguredFile(big, 'tls.caFiles.0')).message).toBe(
      'tls.caFiles.0: cannot read the file it names (larger than 1 MiB: not a key file)',
    );
  });

  it('names an unset environment variable by the field only', () => {
    const err = failure(() => readSecretRef('env:PAYSTREAM_TEST_NOT_SET_ANYWHERE', 'merchants.shop.serverKeyFile', { env: {} }));
    expect(err.message).toBe('merchants.shop.serverKeyFile: the environment variable it names is not set or is empty');
    expect(readSecretRef('env:X', 'f', { env: { X: 'from-env' }, private: true })).toBe('from-env');
  });

  it('refuses private files group or others may read or write, with the chmod that fixes it; the override and public files pass', () => {
    for (const mode of [0o644, 0o640, 0o604, 0o620, 0o602]) {
      const path = file(`key-${mode.toString(8)}.pem`, 'private material', mode);
      const err = failure(() => readConfiguredFile(path, 'merchants.default.privateKeyFile', { private: true }));
      expect(err.code).toBe('PS_ERR_KEY_PERMISSIONS');
      expect(err.message).toContain(
        `merchants.default.privateKeyFile: the file is readable or writable by group or others (mode 0${mode.toString(8)})`,
      );
      expect(err.message).toContain(`chmod 600 ${path}`);
      expect(err.message).toContain('allowInsecureKeyFilePermissions');
      expect(printed(err)).not.toContain('private material');
      expect(readConfiguredFile(path, 'f', { private: true, allowInsecurePermissions: true })).toBe('private material');
      expect(readConfiguredFile(path, 'f')).toBe('private material');
    }
    expect(readConfiguredFile(file('owner-only.pem', 'mine', 0o600), 'f', { private: true })).toBe('mine');
    expect(readConfiguredFile(file('read-only.pem', 'mine', 0o400), 'f', { private: true })).toBe('mine');
  });

  it('quotes a path with spaces in the fix-it command', () => {
    const path = file("my key's file.pem", 'x', 0o644);
    expect(failure(() => readConfiguredFile(path, 'f', { private: true })).message).toContain(`chmod 600 '${path.replace("'", `'\\''`)}'`);
  });
});
