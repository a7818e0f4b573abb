// In a fleet each worker holds the state of the partitions it owns, yet Midtrans sends a notification to
// whichever worker its load balancer picks. One that does not hold the order hands the verified
// notification to the owner through the notifications topic, partitioned like the commands, and answers
// Midtrans once Kafka acknowledged it. A notification naming the order id (Core API `order_id`, BI-SNAP
// direct debit's partnerReferenceNo) goes to the order's partition; one naming only a reference of
// Midtrans' or an X-EXTERNAL-ID (QRIS, VA) goes to every partition, and the owner that finds it acts.
import type { KafkaMessage } from 'kafkajs';
import type { PaymentMethodPlugin } from '@paystream/plugin-sdk';
import type { Publisher } from '../kafka/publisher.ts';

/** Where notifications name their transaction: Core API, direct debit / QRIS, VA. */
export const REFERENCE_FIELDS = ['order_id', 'originalPartnerReferenceNo', 'originalReferenceNo', 'referenceNo', 'trxId'] as const;
/** Where Midtrans' Core API HTTP notifications are received (the dashboard's Payment Notification URL). */
export const CORE_NOTIFICATION_PATH = '/notifications/core';
/** Longer than any order id or Midtrans reference: such a value routes nothing. */
const MAX_REFERENCE = 256;
/** How long Kafka may take to acknowledge before Midtrans is asked to retry. */
const ACK_TIMEOUT_MS = 10_000;
const VERSION = 1;

export interface HandedOver {
  readonly path: string;
  readonly body: Record<string, unknown>;
}

const text = (o: Record<string, unknown>, k: string): string | undefined =>
  typeof o[k] === 'string' && o[k].length > 0 && o[k].length <= MAX_REFERENCE ? o[k] : undefined;

export interface NotificationHandoverOptions {
  readonly publisher: Pick<Publisher, 'send'>;
  readonly topic: string;
  /** The notifications topic's partitions (the state's count). */
  readonly partitions: () => number;
  readonly plugins: ReadonlyMap<string, PaymentMethodPlugin>;
}

export class NotificationHandover {
  readonly #o: NotificationHandoverOptions;

  constructor(o: NotificationHandoverOptions) {
    this.#o = o;
  }

  /** Sends a verified notification to its owner; undefined when it names nothing to route by. */
  async send(path: string, body: Record<string, unknown>): Promise<{ readonly orderId?: string } | undefined> {
    const orderId = this.#orderIdOf(path, body);
    const reference = orderId ?? REFERENCE_FIELDS.map((f) => text(body, f)).find((r) => r !== undefined);
    if (reference === undefined) return undefined;
    const value = JSON.stringify({ v: VERSION, path, body });
    const { topic } = this.#o;
    const records =
      orderId !== undefined
        ? [{ topic, key: orderId, value }]
        : Array.from({ length: this.#o.partitions() }, (_, partition) => ({ topic, key: reference, value, partition }));
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, fail) => {
      timer = setTimeout(() => fail(new HandoverTimeout()), ACK_TIMEOUT_MS);
    });
    try {
      await Promise.race([this.#o.publisher.send(records), late]);
    } finally {
      clearTimeout(timer);
    }
    return orderId === undefined ? {} : { orderId };
  }

  /** The order id a notification names without any index: Core API's order_id, or the path's plugins' own rule. */
  #orderIdOf(path: string, body: Record<string, unknown>): string | undefined {
    if (path === CORE_NOTIFICATION_PATH) return text(body, 'order_id');
    for (const plugin of this.#o.plugins.values()) {
      if (!(plugin.notifications.snapPaths ?? []).includes(path)) continue;
      const id = plugin.notifications.orderIdOf(body);
      if (id !== undefined && id.length > 0 && id.length <= MAX_REFERENCE) return id;
    }
    return undefined;
  }
}

export class HandoverTimeout extends Error {
  override readonly name = 'HandoverTimeout';
  constructor() {
    super('Kafka did not acknowledge the handed-over notification in time');
  }
}

/** A handed-over notification read back; undefined for a record no worker wrote this way. */
export function readHandedOver(message: Pick<KafkaMessage, 'value'>, paths: ReadonlySet<string>): HandedOver | undefined {
  try {
    const parsed = JSON.parse(message.value?.toString('utf8') ?? '') as unknown;
    if (parsed === null || typeof parsed !== 'object') return undefined;
    const { v, path, body } = parsed as Record<string, unknown>;
    if (v !== VERSION || typeof path !== 'string' || !paths.has(path)) return undefined;
    if (body === null || typeof body !== 'object' || Array.isArray(body)) return undefined;
    return { path, body: body as Record<string, unknown> };
  } catch {
    return undefined;
  }
}
