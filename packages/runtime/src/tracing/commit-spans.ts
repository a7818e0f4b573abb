// "Offset committed" in a command's trace. Offsets are committed in batches a moment after the work
// finished (kafka/commit-points.ts), long after the command's span ended; so each finished command
// is remembered by its offset, and when a commit covers it a short span is written under the
// command's span, from when the work finished to when Kafka took the commit.
import { SpanKind, trace, ROOT_CONTEXT, type SpanContext } from '@opentelemetry/api';
import { annotate, tracer, tracingEnabled } from '@paystream/core';
import { RUNTIME_SCOPE } from './scope.ts';

interface Finished {
  readonly offset: number;
  readonly at: number;
  readonly parent: SpanContext;
}

/** Bounds what a partition taken away (never committed here again) can leave behind. */
const MAX_PENDING_PER_PARTITION = 4_096;

const pending = new Map<string, Finished[]>();
const keyOf = (topic: string, partition: number): string => `${topic}\u0000${String(partition)}`;

/** Remembers a finished command until its offset is committed. */
export function commandFinished(topic: string, partition: number, offset: number, parent: SpanContext): void {
  const key = keyOf(topic, partition);
  let list = pending.get(key);
  if (!list) pending.set(key, (list = []));
  list.push({ offset, at: Date.now(), parent });
  // The oldest half at once: amortised, where dropping one at a time would copy the list each time.
  if (list.length > MAX_PENDING_PER_PARTITION) list.splice(0, MAX_PENDING_PER_PARTITION / 2);
}

/** A commit Kafka took: `offset` is the next offset to read, so every remembered offset below it is committed. */
export function offsetsCommitted(points: readonly { topic: string; partition: number; offset: number }[]): void {
  if (!tracingEnabled() || pending.size === 0) return;
  for (const { topic, partition, offset } of points) {
    const key = keyOf(topic, partition);
    const list = pending.get(key);
    if (!list) continue;
    const done = list.filter((f) => f.offset < offset);
    const rest = list.filter((f) => f.offset >= offset);
    if (rest.length === 0) pending.delete(key);
    else pending.set(key, rest);
    for (const f of done) commitSpan(topic, partition, f);
  }
}

/** For the commit loop: tracing never turns a commit Kafka took into a failed one. */
export function offsetsCommittedSafely(points: readonly { topic: string; partition: number; offset: number }[]): void {
  try {
    offsetsCommitted(points);
  } catch {
    // A span that cannot be written is lost; the commit stands.
  }
}

function commitSpan(topic: string, partition: number, f: Finished): void {
  const parent = trace.setSpanContext(ROOT_CONTEXT, f.parent);
  const span = tracer(RUNTIME_SCOPE).startSpan(`commit ${topic}`, { kind: SpanKind.CLIENT, startTime: f.at }, parent);
  annotate(span, () => ({
    'messaging.system': 'kafka',
    'messaging.operation.type': 'settle',
    'messaging.destination.name': topic,
    'messaging.destination.partition.id': String(partition),
    'messaging.kafka.offset': f.offset,
    'paystream.commit.wait_ms': Date.now() - f.at,
  }));
  span.end();
}

/** For tests: forgets everything remembered. */
export function clearPendingCommits(): void {
  pending.clear();
}
