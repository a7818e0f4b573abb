// The events every downstream consumer is checked against: real result events of a running worker
// (one paid order per method, customer fields encrypted, and a refused command), then the hostile
// ones a consumer must refuse — tampered, signed by a key nobody published, a forged signature
// under a published key id, a value that is no JSON — and a duplicate it must not hand on twice.
import { createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalEventBytes, decryptFields, verifyEvent, type PublishedKey } from '@paystream/contracts';
import { aesKeyId, keyId } from '@paystream/core';
import { chargeCommand, defaultDetails, until, type PaystreamSystem } from '@paystream/test-harness';

export interface TopicRecord {
  readonly key: string;
  readonly value: string;
}

export interface Trust {
  readonly signingKeys: readonly PublishedKey[];
  readonly encryptionKeys: readonly { readonly kid: string; readonly key: string }[];
}

/** One paid order per method, each with a customer whose contact fields are encrypted, and one refused command. */
export async function payOnePerMethod(s: PaystreamSystem, tag: string): Promise<string[]> {
  const customer = { firstName: 'Siti', lastName: 'Ñurhaliza 日本 😀', email: 'siti@example.com', phone: '+6281234567890' };
  const commands = await Promise.all(
    s.methods.map(async (method) =>
      chargeCommand({
        method,
        orderId: `lang-${method}-${tag}`,
        amount: 10_000,
        customer,
        details: await defaultDetails(method, s.customers),
      }),
    ),
  );
  const refused = chargeCommand({ method: 'va', orderId: `lang-refused-${tag}`, details: { bank: 'no-such-bank' }, customer });
  await s.upstream.send([...commands, refused]);
  const orders = commands.map((c) => c.orderId);
  await s.payWhenAsked(orders, { timeoutMs: 120_000 });
  const paid = (): string[] => orders.filter((o) => !s.results.paymentEvent(o, 'paystream.payment.succeeded'));
  await until(
    () => paid().length === 0 && s.results.forOrder(refused.orderId).length > 0,
    () => `not paid yet: ${paid().join(', ')}`,
    {
      timeoutMs: 120_000,
    },
  );
  return [...orders, refused.orderId];
}

function resign(event: Record<string, unknown>, key: KeyObject, kid: string): string {
  const unsigned = { ...event, paystreamkid: kid };
  const signature = sign(null, canonicalEventBytes(unsigned), key).toString('base64url');
  return JSON.stringify({ ...unsigned, paystreamsig: signature });
}

/** The real events as published, then the hostile ones and a duplicate. */
export function consumerRecords(real: readonly TopicRecord[]): TopicRecord[] {
  const first = JSON.parse(real[0]?.value ?? '{}') as Record<string, unknown> & { data: { amount: { value: number } } };
  const stranger = generateKeyPairSync('ed25519').privateKey;
  const tampered = { ...first, data: { ...first.data, amount: { ...first.data.amount, value: first.data.amount.value + 1 } } };
  return [
    ...real,
    { key: 'tampered', value: JSON.stringify(tampered) },
    { key: 'unknown-key', value: resign(first, stranger, keyId(createPublicKey(stranger))) },
    { key: 'forged', value: resign(first, stranger, String(first['paystreamkid'])) },
    { key: 'not-json', value: '{"id": "half' },
    { key: 'duplicate', value: real[0]?.value ?? '' },
  ];
}

/** The trust file a downstream team is given: the workers' public key and their event-encryption key. */
export function writeTrust(s: PaystreamSystem, dir: string): { file: string; trust: Trust } {
  const key = readFileSync(join(s.dir, 'worker-keys', 'event-encryption.key'), 'utf8').trim();
  const trust: Trust = { signingKeys: [s.publicKey], encryptionKeys: [{ kid: aesKeyId(Buffer.from(key, 'base64')), key }] };
  const file = join(dir, 'trust.json');
  writeFileSync(file, JSON.stringify(trust), { mode: 0o600 });
  return { file, trust };
}

/** What the TypeScript verifier makes of each record: the verdict, and the decrypted fields of a valid event. */
export function expectedVerdicts(records: readonly TopicRecord[], trust: Trust): Record<string, unknown>[] {
  const keys = new Map(trust.encryptionKeys.map((k) => [k.kid, Buffer.from(k.key, 'base64')]));
  const seen = new Set<string>();
  return records.map(({ value }) => {
    let event: Record<string, unknown>;
    try {
      event = JSON.parse(value) as Record<string, unknown>;
    } catch {
      return { valid: false };
    }
    const verdict = verifyEvent(event, trust.signingKeys);
    if (!verdict.valid) return { valid: false, reason: verdict.reason };
    const id = String(event['id']);
    const duplicate = seen.has(id);
    seen.add(id);
    const { values } = decryptFields(event['data'], keys);
    return { valid: true, keyId: verdict.keyId, id, type: event['type'], decrypted: values, ...(duplicate ? { duplicate: true } : {}) };
  });
}
