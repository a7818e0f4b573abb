// What Paystream told downstream, read back from the results topic: every record of a time range,
// its signature checked with the worker's own public keys before anything of it is believed. A record
// that does not verify, or verifies but is no result event, is counted and reported — never used.
import type { Admin, Kafka } from 'kafkajs';
import { ResultEvent, verifyEvent, type PaymentEvent, type PublishedKey } from '@paystream/contracts';
import { readTopicRange, type RangeRecord } from '@paystream/runtime';

export interface Unverifiable {
  readonly partition: number;
  readonly offset: string;
  readonly reason: string;
}

export interface ResultsRead {
  readonly payments: PaymentEvent[];
  readonly unverifiable: Unverifiable[];
  /** Every record read, rejected-command events and unverifiable ones included. */
  readonly records: number;
}

/** The record's verdict: a verified payment event, a verified event of no interest, or why it is not trusted. */
export function readResult(record: Pick<RangeRecord, 'value'>, keys: readonly PublishedKey[]): PaymentEvent | 'other' | { reason: string } {
  let json: unknown;
  try {
    json = JSON.parse(record.value?.toString('utf8') ?? '');
  } catch {
    return { reason: 'not JSON' };
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return { reason: 'not a JSON object' };
  const verdict = verifyEvent(json as Record<string, unknown>, keys);
  if (!verdict.valid) return { reason: verdict.reason };
  const event = ResultEvent.safeParse(json);
  if (!event.success) return { reason: 'signed, but not a result event of this contract' };
  // A refused command moved no money: there is nothing of it at Midtrans to compare.
  return event.data.type === 'paystream.command.rejected' ? 'other' : event.data;
}

export async function readResults(
  kafka: Kafka,
  admin: Admin,
  topic: string,
  range: { readonly fromMs: number; readonly toMs: number },
  keys: readonly PublishedKey[],
): Promise<ResultsRead> {
  const payments: PaymentEvent[] = [];
  const unverifiable: Unverifiable[] = [];
  let records = 0;
  await readTopicRange(kafka, admin, topic, range, (record) => {
    records++;
    const read = readResult(record, keys);
    if (read === 'other') return;
    if ('reason' in read) unverifiable.push({ partition: record.partition, offset: record.offset, reason: read.reason });
    else payments.push(read);
  });
  return { payments, unverifiable, records };
}
