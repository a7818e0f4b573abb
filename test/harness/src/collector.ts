// The downstream service: reads every result event and DLQ record of the run from the beginning,
// deduplicates events by id, and checks each as a consumer would — the contract schema, the
// signature with the published public key only, and the CloudEvents SDK's own validation.
import { randomBytes } from 'node:crypto';
import { CloudEvent } from 'cloudevents';
import { DlqHeaders, DlqRecord, ResultEvent, verifyEvent, type PaymentEvent, type PublishedKey } from '@paystream/contracts';
import type { Topology } from '@paystream/runtime';
import type { Consumer, Kafka, KafkaMessage } from 'kafkajs';

export interface CollectedEvent {
  readonly event: ResultEvent;
  readonly raw: string;
  readonly key: string;
  readonly partition: number;
  readonly offset: string;
}

export interface Problem {
  readonly where: string;
  readonly problem: string;
}

export interface DlqEntry {
  readonly topic: string;
  readonly key: string;
  readonly raw: string;
  readonly code: string | undefined;
  readonly headers: Readonly<Record<string, string>>;
  readonly record: DlqRecord | undefined;
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return undefined;
  }
}

function headersOf(m: KafkaMessage): Record<string, string> {
  return Object.fromEntries(
    Object.entries(m.headers ?? {}).map(([k, v]) => [k, Array.isArray(v) ? v.map(String).join(',') : (v?.toString() ?? '')]),
  );
}

/** Why a result event would be refused by a downstream consumer; empty when it is sound. */
export function eventProblems(raw: string, keys: readonly PublishedKey[]): { event?: ResultEvent; problems: string[] } {
  const json = parseJson(raw);
  if (json === undefined) return { problems: ['not JSON'] };
  const problems: string[] = [];
  const parsed = ResultEvent.safeParse(json);
  if (!parsed.success) problems.push(`contract schema: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const verdict = verifyEvent(json as Record<string, unknown>, keys);
  if (!verdict.valid) problems.push(`signature: ${verdict.reason}`);
  try {
    new CloudEvent(json as Record<string, unknown>, true).validate();
  } catch (err) {
    problems.push(`cloudevents: ${JSON.stringify((err as { errors?: unknown }).errors ?? String(err))}`);
  }
  return parsed.success ? { event: parsed.data, problems } : { problems };
}

export class ResultCollector {
  /** Distinct events by id, first copy kept. */
  readonly events = new Map<string, CollectedEvent>();
  readonly dlq: DlqEntry[] = [];
  /** Every results message as read, duplicates included: what a scan for leaked data must cover. */
  readonly rawResults: string[] = [];
  readonly problems: Problem[] = [];
  /** Copies of an already-seen event id (redeliveries and re-published outcomes). */
  duplicates = 0;
  readonly #byOrder = new Map<string, CollectedEvent[]>();
  readonly #consumer: Consumer;
  readonly #keys: PublishedKey[];
  readonly #resultsTopic: string;

  private constructor(consumer: Consumer, keys: readonly PublishedKey[], resultsTopic: string) {
    this.#consumer = consumer;
    this.#keys = [...keys];
    this.#resultsTopic = resultsTopic;
  }

  static async start(kafka: Kafka, names: Topology, methods: readonly string[], keys: readonly PublishedKey[]): Promise<ResultCollector> {
    const consumer = kafka.consumer({
      groupId: `${names.prefix}harness.collector.${randomBytes(3).toString('hex')}`,
      allowAutoTopicCreation: false,
    });
    const collector = new ResultCollector(consumer, keys, names.results);
    await consumer.connect();
    await consumer.subscribe({ topics: [names.results, ...methods.map((m) => names.dlq(m))], fromBeginning: true });
    const joined = new Promise<void>((done) => consumer.on(consumer.events.GROUP_JOIN, () => done()));
    await consumer.run({
      eachMessage: ({ topic, partition, message }) => {
        collector.#take(topic, partition, message);
        return Promise.resolve();
      },
    });
    await joined;
    return collector;
  }

  #take(topic: string, partition: number, message: KafkaMessage): void {
    const raw = message.value?.toString('utf8') ?? '';
    const key = message.key?.toString('utf8') ?? '';
    if (topic !== this.#resultsTopic) {
      const parsed = DlqRecord.safeParse(parseJson(raw));
      const headers = headersOf(message);
      this.dlq.push({ topic, key, raw, headers, code: headers[DlqHeaders.code], record: parsed.success ? parsed.data : undefined });
      if (!parsed.success)
        this.problems.push({ where: `${topic}/${String(partition)}@${message.offset}`, problem: 'DLQ record does not match the contract' });
      return;
    }
    this.rawResults.push(raw);
    const where = `${topic}/${String(partition)}@${message.offset}`;
    const { event, problems } = eventProblems(raw, this.#keys);
    for (const problem of problems) this.problems.push({ where, problem });
    if (!event) return;
    const seen = this.events.get(event.id);
    if (seen) {
      this.duplicates++;
      if (seen.event.type !== event.type || seen.event.subject !== event.subject)
        this.problems.push({
          where,
          problem: `event id ${event.id} reused for ${event.type}/${event.subject ?? ''} (first: ${seen.event.type}/${seen.event.subject ?? ''})`,
        });
      return;
    }
    const collected = { event, raw, key, partition, offset: message.offset };
    this.events.set(event.id, collected);
    const order = event.subject ?? key;
    this.#byOrder.set(order, [...(this.#byOrder.get(order) ?? []), collected]);
  }

  /** A key the workers published (a rotation's new event-signing key): trusted from now on, beside the earlier ones. */
  trust(key: PublishedKey): void {
    if (!this.#keys.some((k) => k.keyId === key.keyId)) this.#keys.push(key);
  }

  /** The keys events are verified with. */
  get trusted(): readonly PublishedKey[] {
    return [...this.#keys];
  }

  /** The order's distinct events in the order they were published. */
  forOrder(orderId: string): readonly CollectedEvent[] {
    return this.#byOrder.get(orderId) ?? [];
  }

  /** The first payment event of this type for the order. */
  paymentEvent(orderId: string, type: PaymentEvent['type']): PaymentEvent | undefined {
    const hit = this.forOrder(orderId).find((c) => c.event.type === type)?.event;
    return hit && hit.type !== 'paystream.command.rejected' ? hit : undefined;
  }

  /** Order ids with at least one event of the type. */
  ordersWith(type: ResultEvent['type']): Set<string> {
    const out = new Set<string>();
    for (const { event } of this.events.values()) if (event.type === type && event.subject) out.add(event.subject);
    return out;
  }

  async stop(): Promise<void> {
    await this.#consumer.disconnect();
  }
}
