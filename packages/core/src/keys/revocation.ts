// The revocation list: SHA-256 fingerprints, one per line. An RSA key is named by the SHA-256 of its
// SubjectPublicKeyInfo DER (spkiFingerprint), a client secret or server key by the SHA-256 of its
// value as loaded (secretFingerprint); both are 64 lowercase hex characters, so one set holds both.
import { createHash } from 'node:crypto';
import { codes } from '../error-catalogue/index.ts';
import { KeyError } from '../errors.ts';

const FINGERPRINT = /^[0-9a-f]{64}$/;

/** SHA-256 of a secret's value (surrounding whitespace trimmed, as the key ring loads it), lowercase hex. */
export function secretFingerprint(value: string): string {
  return createHash('sha256').update(value.trim()).digest('hex');
}

/**
 * Parses a revocation list: `#` starts a comment, blank lines are skipped, an optional `sha256:`
 * prefix is allowed. A bad line is named by its number only: it may be a secret pasted by mistake.
 */
export function parseRevocationList(text: string, field: string): string[] {
  const fingerprints: string[] = [];
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw
      .replace(/#.*/, '')
      .trim()
      .replace(/^sha256:/, '');
    if (line === '') continue;
    if (!FINGERPRINT.test(line)) {
      throw new KeyError(codes.PS_ERR_KEY_REVOCATION_LIST, { field, line: i + 1 });
    }
    fingerprints.push(line);
  }
  return fingerprints;
}
