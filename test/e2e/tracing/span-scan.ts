// The privacy check of exported spans: every span name, attribute and event as the receiver got
// them, searched for each secret the run held — raw, JSON-escaped, URL-encoded, hex and base64 —
// and for the card number, plain or grouped. A finding names the secret, never its value.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ReceivedSpan } from './otlp-receiver.ts';

export interface RunSecret {
  readonly name: string;
  readonly value: string;
}

/** The forms a value could take in exported text. */
function forms(value: string): string[] {
  const bytes = Buffer.from(value, 'utf8');
  return [value, JSON.stringify(value).slice(1, -1), encodeURIComponent(value), bytes.toString('hex'), bytes.toString('base64')];
}

/** Each secret file of the worker (client secret, server key, event keys) and each line of a PEM body. */
export function secretsInFolder(dir: string): RunSecret[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile())
    .flatMap((e) => {
      const text = readFileSync(join(dir, e.name), 'utf8').trim();
      if (!text.includes('-----BEGIN')) return [{ name: e.name, value: text }];
      // A private key: every full line of its base64 body is secret material.
      return text
        .split('\n')
        .filter((l) => /^[A-Za-z0-9+/=]{40,}$/.test(l))
        .map((line, i) => ({ name: `${e.name} line ${String(i + 1)}`, value: line }));
    })
    .filter((s) => s.value.length >= 8);
}

/** A card number as it might be written: plain, grouped by spaces or dashes. */
export function cardForms(card: string): RunSecret[] {
  const groups = card.match(/.{1,4}/g) ?? [card];
  return [card, groups.join(' '), groups.join('-')].map((value, i) => ({ name: `card form ${String(i + 1)}`, value }));
}

/** Which secrets appear in which exported spans: empty when none does. */
export function findSecrets(spans: readonly ReceivedSpan[], secrets: readonly RunSecret[]): string[] {
  const findings: string[] = [];
  for (const span of spans)
    for (const secret of secrets)
      if (forms(secret.value).some((f) => f.length >= 8 && span.raw.includes(f))) findings.push(`${secret.name} in span "${span.name}"`);
  return findings;
}
