// What `paystream dlq inspect` prints: each record's clear fields, the refused command when the
// operator's configuration holds the event-encryption key, and the unreadable records by position
// only. Every field goes through `printable` (see printable.ts).
import { codes } from '@paystream/core';
import { at, isReadable, type DlqEntry, type ReadableEntry } from './dlq-records.ts';
import type { PayloadReader } from './payload-reader.ts';
import { printable, printableJson } from './printable.ts';

/** How much of a command the text listing shows; --json shows all of it. */
const SHOWN_CHARS = 300;

function withPayload(e: ReadableEntry, payloads: PayloadReader): Record<string, unknown> {
  const payload = payloads.read(e.record);
  return { ...e, payload: 'text' in payload ? payload.text : null, ...('error' in payload ? { payloadNote: payload.error } : {}) };
}

function describePayload(e: ReadableEntry, payloads: PayloadReader): string {
  const r = e.record;
  const flags = [
    `${String(r.payloadBytes)} bytes`,
    ...(r.payloadMasked === true ? ['masked'] : []),
    ...(r.payloadTruncated === true ? ['truncated'] : []),
  ].join(', ');
  const payload = payloads.read(r);
  if ('error' in payload) return `command (${flags}) not shown: ${payload.error}`;
  const shown = payload.text.length > SHOWN_CHARS ? `${payload.text.slice(0, SHOWN_CHARS)}…` : payload.text;
  return `command (${flags}): ${shown}`;
}

function printEntry(e: DlqEntry, payloads: PayloadReader): void {
  if (!isReadable(e)) {
    console.log(`\n${printable(`${at(e)}  unreadable  ${e.unreadable.code}: ${e.unreadable.reason}`)}`);
    return;
  }
  const r = e.record;
  const lines = [
    `${at(e)}  ${r.code}  order ${e.key ?? '-'}  attempts ${String(r.attempts)}  first seen ${r.firstSeen}`,
    `  ${r.message}`,
    `  from ${r.originalTopic} ${String(r.originalPartition)}:${r.originalOffset}`,
    `  ${describePayload(e, payloads)}`,
  ];
  console.log(`\n${lines.map(printable).join('\n')}`);
}

export function printInspection(topic: string, entries: readonly DlqEntry[], payloads: PayloadReader, json: boolean): void {
  if (json) {
    const shown = entries.map((e) => (isReadable(e) ? withPayload(e, payloads) : e));
    console.log(JSON.stringify(printableJson(shown), null, 2));
    return;
  }
  const unreadable = entries.filter((e) => !isReadable(e)).length;
  console.log(
    printable(
      `${String(entries.length)} record(s) in ${topic}${unreadable > 0 ? `, ${String(unreadable)} unreadable (${codes.PS_ERR_DLQ_RECORD_INVALID})` : ''}`,
    ),
  );
  if (payloads.unavailable !== undefined && entries.length > unreadable)
    console.log(printable(`commands are not shown: ${payloads.unavailable}`));
  for (const e of entries) printEntry(e, payloads);
}
