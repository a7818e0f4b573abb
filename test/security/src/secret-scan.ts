// Output scanning, the second line of defence of STYLE rule 9: given the secrets of one run, finds
// any of them in text, in every form a careless log line, error or record could give them — raw,
// JSON-escaped, URL-encoded, base64 at any byte alignment, hex, and for keys their DER and JWK parts.
// A finding names the secret and the form, never the secret itself.
import { createPrivateKey, type JsonWebKey } from 'node:crypto';
import { cardPatterns, scanCards } from './card-patterns.ts';

export interface RunSecrets {
  /** PEM private keys of the run: merchant keys, event-signing keys, TLS server keys. */
  readonly privateKeys?: readonly string[];
  /** Named secret values: client secrets, server keys, access tokens, symmetric keys. */
  readonly values?: Readonly<Record<string, string>>;
  /** Card numbers that must never appear unless masked to first 6 / last 4. */
  readonly cardNumbers?: readonly string[];
}

export type FindingKind = 'pem-armour' | 'private-key' | 'secret' | 'card-number' | 'card-under-masked';

export interface Finding {
  readonly kind: FindingKind;
  /** Which secret: `clientSecret`, `private key 1`, `card 2`, … */
  readonly name: string;
  /** How it was written: `raw`, `base64`, `hex`, `DER base64 line`, `JWK d`, `full-width digits`, … */
  readonly form: string;
  readonly index: number;
}

interface Needle {
  readonly text: string;
  readonly kind: FindingKind;
  readonly name: string;
  readonly form: string;
}

/** Shorter values would match ordinary words; the scrubber in core draws the same line. */
const MIN_NEEDLE = 8;
const PEM_ARMOUR = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/g;

/** The base64 characters fully determined by `bytes` when they start `offset` bytes into a stream. */
function alignedBase64(bytes: Buffer, offset: number): string {
  const b64 = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
  const start = [0, 2, 3][offset] ?? 0;
  return b64.slice(start, 4 * Math.floor((offset + bytes.length) / 3));
}

const base64url = (b64: string): string => b64.replace(/\+/g, '-').replace(/\//g, '_');

/** Every encoding of one secret value worth looking for. */
function valueForms(value: string): [form: string, text: string][] {
  const bytes = Buffer.from(value, 'utf8');
  const forms: [string, string][] = [
    ['raw', value],
    ['JSON-escaped', JSON.stringify(value).slice(1, -1)],
    ['URL-encoded', encodeURIComponent(value)],
    ['hex', bytes.toString('hex')],
    ['HEX', bytes.toString('hex').toUpperCase()],
  ];
  for (const offset of [0, 1, 2]) {
    const b64 = alignedBase64(bytes, offset);
    forms.push([`base64+${String(offset)}`, b64], [`base64url+${String(offset)}`, base64url(b64)]);
  }
  return forms;
}

/** Pieces of a private key's DER encodings (as PEM lines would cut them) and of its JWK. */
function keyForms(pem: string): [form: string, text: string][] {
  const key = createPrivateKey(pem);
  const ders: [string, Buffer][] = [['PKCS#8', key.export({ type: 'pkcs8', format: 'der' })]];
  if (key.asymmetricKeyType === 'rsa') ders.push(['PKCS#1', key.export({ type: 'pkcs1', format: 'der' })]);
  if (key.asymmetricKeyType === 'ec') ders.push(['SEC1', key.export({ type: 'sec1', format: 'der' })]);
  const forms: [string, string][] = [];
  for (const [label, der] of ders) {
    // 48 bytes are one 64-character PEM line; every line of the body is secret material.
    for (let at = 0; at + 48 <= der.length; at += 48) {
      const chunk = der.subarray(at, at + 48);
      const line = chunk.toString('base64');
      forms.push(
        [`${label} DER base64 line`, line],
        [`${label} DER base64url line`, base64url(line)],
        [`${label} DER hex`, chunk.toString('hex')],
      );
    }
  }
  const jwk: JsonWebKey = key.export({ format: 'jwk' });
  for (const part of ['d', 'p', 'q', 'dp', 'dq', 'qi'] as const) {
    const v = jwk[part];
    if (typeof v === 'string') forms.push([`JWK ${part}`, v], [`JWK ${part} as base64`, v.replace(/-/g, '+').replace(/_/g, '/')]);
  }
  return forms;
}

export interface SecretScanner {
  scan(text: string): Finding[];
}

/** Compiles the needles once, for scanning many texts against the same secrets. */
export function secretScanner(secrets: RunSecrets): SecretScanner {
  const needles: Needle[] = [];
  const add = (kind: FindingKind, name: string, forms: [string, string][]): void => {
    const seen = new Set<string>();
    for (const [form, text] of forms) {
      if (text.length < MIN_NEEDLE || seen.has(text)) continue;
      seen.add(text);
      needles.push({ kind, name, form, text });
    }
  };
  (secrets.privateKeys ?? []).forEach((pem, i) => add('private-key', `private key ${String(i + 1)}`, keyForms(pem)));
  for (const [name, value] of Object.entries(secrets.values ?? {})) add('secret', name, valueForms(value));
  const cards = cardPatterns(secrets.cardNumbers ?? []);
  return {
    scan(text: string): Finding[] {
      const found: Finding[] = [];
      for (const m of text.matchAll(PEM_ARMOUR))
        found.push({ kind: 'pem-armour', name: 'PEM private key armour', form: 'PEM', index: m.index });
      for (const n of needles) {
        const index = text.indexOf(n.text);
        if (index >= 0) found.push({ kind: n.kind, name: n.name, form: n.form, index });
      }
      return [...found, ...scanCards(text, cards)];
    },
  };
}

/** One-off scan; compile with `secretScanner` when scanning many texts. */
export function scanForSecrets(text: string, secrets: RunSecrets): Finding[] {
  return secretScanner(secrets).scan(text);
}

/** A readable line per finding, for assertion messages; it never contains the secret. */
export function describeFindings(findings: readonly Finding[], where = ''): string[] {
  return findings.map((f) => `${where}${where ? ': ' : ''}${f.kind} ${f.name} (${f.form}) at ${String(f.index)}`);
}
