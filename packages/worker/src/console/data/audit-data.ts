// The audit trail as the console lists it: the audit topic's events within a time window, newest
// first, each with its signature checked against the worker's published keys.
import type { Admin, Kafka } from 'kafkajs';
import type { PublishedKey } from '@paystream/contracts';
import type { Topology } from '@paystream/runtime';
import { existing, readBounded } from './bounded-read.ts';
import { newestFirst } from './dlq-data.ts';
import { auditSummary, positionOf } from './records.ts';

export const AUDIT_LIMIT = { default: 100, max: 500 } as const;

export interface AuditQuery {
  readonly fromMs: number;
  readonly toMs: number;
  readonly limit: number;
}

export async function listAudit(
  s: { readonly kafka: Kafka; readonly admin: Admin; readonly names: Topology; readonly eventKeys: readonly PublishedKey[] },
  q: AuditQuery,
): Promise<{ events: Record<string, unknown>[]; truncated: boolean }> {
  const topic = s.names.audit;
  if (!(await existing(s.admin, [topic])).has(topic)) return { events: [], truncated: false };
  let kept: (Record<string, unknown> & { at: string; offset: string })[] = [];
  const read = await readBounded(s.kafka, s.admin, topic, { fromMs: q.fromMs, toMs: q.toMs }, (r) => {
    kept.push({ ...auditSummary(r, s.eventKeys), ...positionOf(topic, r) });
    if (kept.length >= 4 * q.limit) kept = newestFirst(kept, q.limit);
    return true;
  });
  return { events: newestFirst(kept, q.limit), truncated: read.truncated };
}
