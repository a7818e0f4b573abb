// Reading a method's DLQ topic for the operator commands. Each record is parsed inside a guard and
// checked against the DlqRecord schema; one that fails is kept only as "unreadable" with where it is
// and why, never with what it holds, so a hostile record can neither stop a listing nor reach the
// terminal or a replay.
import type { Kafka, KafkaMessage } from 'kafkajs';
import { DlqRecord } from '@paystream/contracts';
import { codes } from '@paystream/core';
import { readTopicRange } from '@paystream/runtime';
import { UsageError } from '../args.ts';

export interface DlqPosition {
  readonly partition: number;
  readonly offset: string;
}

export interface ReadableEntry extends DlqPosition {
  readonly key: string | null;
  readonly record: DlqRecord;
}

export interface UnreadableEntry extends DlqPosition {
  readonly unreadable: { readonly code: typeof codes.PS_ERR_DLQ_RECORD_INVALID; readonly reason: string };
}

export type DlqEntry = ReadableEntry | UnreadableEntry;

export const isReadable = (e: DlqEntry): e is ReadableEntry => !('unreadable' in e);
export const at = (e: DlqPosition): string => `${String(e.partition)}:${e.offset}`;

const utf8 = new TextDecoder('utf-8', { fatal: true });

function why(value: Buffer | null): string | DlqRecord {
  if (value === null) return 'no value';
  let json: unknown;
  try {
    json = JSON.parse(utf8.decode(value));
  } catch {
    return 'not UTF-8 JSON';
  }
  const parsed = DlqRecord.safeParse(json);
  return parsed.success ? parsed.data : 'fails the DlqRecord schema';
}

export function toEntry(partition: number, message: Pick<KafkaMessage, 'key' | 'value' | 'offset'>): DlqEntry {
  const record = why(message.value);
  if (typeof record === 'string')
    return { partition, offset: message.offset, unreadable: { code: codes.PS_ERR_DLQ_RECORD_INVALID, reason: record } };
  return { partition, offset: message.offset, key: message.key?.toString('utf8') ?? null, record };
}

/** How each reading's consumer group is named (a fresh one per reading; it never commits): the operator's ACLs grant the prefix. */
export const DLQ_READER_GROUP_PREFIX = 'paystream-dlq-';

/** Reads the whole DLQ topic up to the end it has when the reading starts, in partition and offset order. */
export async function readDlq(kafka: Kafka, topic: string): Promise<DlqEntry[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    if (!(await admin.listTopics()).includes(topic)) throw new UsageError(`there is no DLQ topic ${topic}`);
    const entries: DlqEntry[] = [];
    await readTopicRange(kafka, admin, topic, { groupPrefix: DLQ_READER_GROUP_PREFIX }, (r) => {
      entries.push(toEntry(r.partition, r));
    });
    return entries.sort((a, b) => a.partition - b.partition || Number(a.offset) - Number(b.offset));
  } finally {
    await admin.disconnect();
  }
}

/** The entries `--code` and `--at` choose; an unreadable record has no code, so only `--at` names it. */
export function select(entries: readonly DlqEntry[], values: Record<string, unknown>): DlqEntry[] {
  const code = typeof values['code'] === 'string' ? values['code'] : undefined;
  const chosen = typeof values['at'] === 'string' ? new Set(values['at'].split(',')) : undefined;
  return entries.filter((e) => (!code || (isReadable(e) && e.record.code === code)) && (!chosen || chosen.has(at(e))));
}
