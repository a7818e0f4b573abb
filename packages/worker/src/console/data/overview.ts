// What the console can tell from Kafka alone: per method the command topic's ends, the worker
// group's committed offsets and the lag between them, and the DLQ's record count; and the result
// events of the last hour by type. Labels come from closed sets: the installation's methods and the
// contract's event types. Worker readiness, breakers and credentials come from the workers'
// operations endpoints, not from here.
import type { Admin, Kafka } from 'kafkajs';
import { EVENT_TYPES, ResultEvent } from '@paystream/contracts';
import type { Topology } from '@paystream/runtime';
import { existing, iso, readBounded } from './bounded-read.ts';
import { parsed } from './records.ts';

const HOUR_MS = 60 * 60 * 1000;
/** The most result events counted by type; a busier hour is counted over its last part (`countedFrom`). */
export const MAX_COUNTED = 50_000;

export interface OverviewSources {
  readonly kafka: Kafka;
  readonly admin: Admin;
  readonly names: Topology;
  readonly methods: readonly string[];
}

interface PartitionLag {
  readonly partition: number;
  readonly end: number;
  /** The group's committed offset; null when it committed none. */
  readonly committed: number | null;
  /** Records not yet handled: the end less the committed offset (or the partition's start when none). */
  readonly lag: number;
}

async function commandLag(s: OverviewSources, method: string): Promise<PartitionLag[]> {
  const topic = s.names.commands(method);
  const [ends, groups] = await Promise.all([
    s.admin.fetchTopicOffsets(topic),
    s.admin.fetchOffsets({ groupId: s.names.group(method), topics: [topic] }),
  ]);
  const committed = new Map((groups[0]?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
  return ends
    .map((p) => {
      const at = committed.get(p.partition);
      const done = at !== undefined && at >= 0 ? at : null;
      return { partition: p.partition, end: Number(p.high), committed: done, lag: Math.max(0, Number(p.high) - (done ?? Number(p.low))) };
    })
    .sort((a, b) => a.partition - b.partition);
}

async function recordCount(admin: Admin, topic: string): Promise<number> {
  return (await admin.fetchTopicOffsets(topic)).reduce((n, p) => n + Number(p.high) - Number(p.low), 0);
}

/** Result events of the hour before `now` by type: all of them counted from the offsets, by type over at most MAX_COUNTED. */
async function lastHour(s: OverviewSources, now: number): Promise<Record<string, unknown>> {
  const topic = s.names.results;
  const byType: Record<string, number> = Object.fromEntries(EVENT_TYPES.map((t) => [t, 0]));
  let fromMs = now - HOUR_MS;
  const spans = await s.admin.fetchTopicOffsetsByTimestamp(topic, fromMs);
  const ends = await s.admin.fetchTopicOffsets(topic);
  const total = ends.reduce((n, p) => n + Number(p.high) - Number(spans.find((x) => x.partition === p.partition)?.offset ?? p.high), 0);
  // A busier hour is counted over its last part, assuming an even rate: the answer says from when.
  if (total > MAX_COUNTED) fromMs = now - Math.floor((HOUR_MS * MAX_COUNTED) / total);
  let unreadable = 0;
  const read = await readBounded(
    s.kafka,
    s.admin,
    topic,
    { fromMs },
    (r) => {
      const event = ResultEvent.safeParse(parsed(r.value));
      if (event.success) byType[event.data.type] = (byType[event.data.type] ?? 0) + 1;
      else unreadable++;
      return true;
    },
    MAX_COUNTED,
  );
  return { total, countedFrom: iso(fromMs), counted: read.scanned, truncated: read.truncated, byType, unreadable };
}

export async function overview(s: OverviewSources, now: number): Promise<Record<string, unknown>> {
  const present = await existing(s.admin, [s.names.results, ...s.methods.flatMap((m) => [s.names.commands(m), s.names.dlq(m)])]);
  const methods = await Promise.all(
    s.methods.map(async (method) => {
      const commands = present.has(s.names.commands(method)) ? await commandLag(s, method) : null;
      const dlq = present.has(s.names.dlq(method)) ? await recordCount(s.admin, s.names.dlq(method)) : null;
      return {
        method,
        commands: commands && { partitions: commands, lag: commands.reduce((n, p) => n + p.lag, 0) },
        dlqRecords: dlq,
      };
    }),
  );
  const results = present.has(s.names.results) ? await lastHour(s, now) : null;
  return { at: iso(now), methods, resultsLastHour: results };
}
