// An order's timeline: every command, result event, DLQ record, notification handover and audit
// event of it, in time order. The work is bounded: of each topic only the partition the order's key
// maps to (as the worker's producers choose it: murmur2 of the key), only records within the time
// window, at most MAX_SCANNED records a topic and MAX_ENTRIES entries in all.
import type { Admin, Kafka } from 'kafkajs';
import type { PublishedKey } from '@paystream/contracts';
import { partitionOfKey, type RangeRecord, type Topology } from '@paystream/runtime';
import { existing, readBounded } from './bounded-read.ts';
import {
  auditOrderOf,
  auditSummary,
  commandSummary,
  dlqSummary,
  notificationSummary,
  positionOf,
  resultSummary,
  type Position,
} from './records.ts';

export const TIMELINE_KINDS = ['command', 'result', 'dlq', 'notification', 'audit'] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];
/** The most entries a timeline holds; the reading stops there. */
export const MAX_ENTRIES = 1_000;

export type TimelineEntry = Position & { readonly kind: TimelineKind } & Readonly<Record<string, unknown>>;

export interface TimelineSources {
  readonly kafka: Kafka;
  readonly admin: Admin;
  readonly names: Topology;
  readonly eventKeys: readonly PublishedKey[];
}

export interface TimelineQuery {
  readonly orderId: string;
  /** The methods whose command and DLQ topics are read. */
  readonly methods: readonly string[];
  /** The order's other identifiers: a notification handed over under a Midtrans reference is keyed by it. */
  readonly identifiers: readonly string[];
  readonly fromMs: number;
  readonly toMs: number;
}

/** In time order; records of the same millisecond by kind (a command before its result), then by position. */
export function sortTimeline(entries: readonly TimelineEntry[]): TimelineEntry[] {
  const rank = (e: TimelineEntry): number => TIMELINE_KINDS.indexOf(e.kind);
  return [...entries].sort(
    (a, b) =>
      a.at.localeCompare(b.at) ||
      rank(a) - rank(b) ||
      a.topic.localeCompare(b.topic) ||
      a.partition - b.partition ||
      Number(a.offset) - Number(b.offset),
  );
}

interface Source {
  readonly topic: string;
  readonly kind: TimelineKind;
  readonly matches: (r: RangeRecord, key: string | undefined) => boolean;
  readonly summary: (r: RangeRecord) => Record<string, unknown>;
}

function sourcesOf(s: TimelineSources, q: TimelineQuery): Source[] {
  const ofOrder = (_r: RangeRecord, key: string | undefined): boolean => key === q.orderId;
  const named = new Set([q.orderId, ...q.identifiers]);
  return [
    ...q.methods.flatMap((m): Source[] => [
      { topic: s.names.commands(m), kind: 'command', matches: ofOrder, summary: commandSummary },
      { topic: s.names.dlq(m), kind: 'dlq', matches: ofOrder, summary: dlqSummary },
    ]),
    { topic: s.names.results, kind: 'result', matches: ofOrder, summary: (r) => resultSummary(r, s.eventKeys) },
    {
      topic: s.names.notifications,
      kind: 'notification',
      matches: (_r, key) => key !== undefined && named.has(key),
      summary: notificationSummary,
    },
    { topic: s.names.audit, kind: 'audit', matches: (r) => auditOrderOf(r) === q.orderId, summary: (r) => auditSummary(r, s.eventKeys) },
  ];
}

export interface Timeline {
  readonly entries: TimelineEntry[];
  /** True when a bound stopped a reading: older or later entries may be missing. */
  readonly truncated: boolean;
  readonly scanned: number;
}

export async function readTimeline(s: TimelineSources, q: TimelineQuery): Promise<Timeline> {
  const sources = sourcesOf(s, q);
  const present = await existing(
    s.admin,
    sources.map((src) => src.topic),
  );
  const entries: TimelineEntry[] = [];
  const reads = await Promise.all(
    sources
      .filter((src) => present.has(src.topic))
      .map(async (src) => {
        const partitions = (await s.admin.fetchTopicOffsets(src.topic)).length;
        const range = { fromMs: q.fromMs, toMs: q.toMs, partitions: [partitionOfKey(q.orderId, partitions)] };
        return readBounded(s.kafka, s.admin, src.topic, range, (r) => {
          if (src.matches(r, r.key?.toString('utf8'))) entries.push({ ...src.summary(r), ...positionOf(src.topic, r), kind: src.kind });
          return entries.length < MAX_ENTRIES;
        });
      }),
  );
  return {
    entries: sortTimeline(entries).slice(0, MAX_ENTRIES),
    truncated: reads.some((r) => r.truncated),
    scanned: reads.reduce((n, r) => n + r.scanned, 0),
  };
}
