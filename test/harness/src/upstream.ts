// The upstream service: builds payment commands and publishes them on the command topics, keyed by
// order id, acknowledged by every in-sync replica.
import { randomUUID } from 'node:crypto';
import type { PaymentCommand } from '@paystream/contracts';
import type { Topology } from '@paystream/runtime';
import type { Kafka, Producer } from 'kafkajs';

export interface ChargeSpec {
  readonly method: string;
  readonly orderId: string;
  readonly amount?: number;
  readonly details?: Record<string, unknown>;
  readonly customer?: PaymentCommand['customer'];
}

export function chargeCommand({ method, orderId, amount = 150_000, details = {}, customer }: ChargeSpec): PaymentCommand {
  return {
    commandId: randomUUID(),
    type: 'payment.charge',
    method,
    orderId,
    amount: { value: amount, currency: 'IDR' },
    ...(customer ? { customer } : {}),
    details,
    requestedAt: new Date().toISOString(),
  };
}

export interface RawMessage {
  readonly key: string | null;
  readonly value: string;
  readonly headers?: Record<string, string>;
}

export class Upstream {
  /** Every command published, by commandId. */
  readonly sent = new Map<string, PaymentCommand>();
  readonly #producer: Producer;
  readonly #names: Topology;

  private constructor(producer: Producer, names: Topology) {
    this.#producer = producer;
    this.#names = names;
  }

  static async connect(kafka: Kafka, names: Topology): Promise<Upstream> {
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
    await producer.connect();
    return new Upstream(producer, names);
  }

  /** Publishes commands on their method's topic, in order, in batches. */
  async send(commands: readonly PaymentCommand[], headers: Record<string, string> = {}): Promise<void> {
    for (let i = 0; i < commands.length; i += 500) {
      const chunk = commands.slice(i, i + 500);
      const byTopic = new Map<string, { key: string; value: string; headers: Record<string, string> }[]>();
      for (const c of chunk) {
        const topic = this.#names.commands(c.method);
        byTopic.set(topic, [...(byTopic.get(topic) ?? []), { key: c.orderId, value: JSON.stringify(c), headers }]);
        this.sent.set(c.commandId, c);
      }
      await this.#producer.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) });
    }
  }

  /** Publishes bytes as they are (poison commands) on a method's command topic. */
  async sendRaw(method: string, messages: readonly RawMessage[]): Promise<void> {
    await this.#producer.send({
      topic: this.#names.commands(method),
      acks: -1,
      messages: messages.map((m) => ({ key: m.key, value: m.value, headers: m.headers ?? {} })),
    });
  }

  disconnect(): Promise<void> {
    return this.#producer.disconnect();
  }
}
