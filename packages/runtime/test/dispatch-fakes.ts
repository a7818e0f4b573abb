// Collaborators of the dispatcher, faked: a publisher that keeps what it is given, an order state in
// memory that merges and indexes like OrderReferences, a scriptable gopay-like plugin, and the Kafka
// messages and commands the specs send.
import { randomBytes, randomUUID } from 'node:crypto';
import { dlqPayload, DlqRecord } from '@paystream/contracts';
import { aesKeyId, EventSigner, FieldCipher, type MidtransApi } from '@paystream/core';
import type { OperationContext, PaymentMethodPlugin, PaymentUpdate } from '@paystream/plugin-sdk';
import type { IHeaders, KafkaMessage } from 'kafkajs';
import { z } from 'zod';
import type { OrderBook } from '../src/dispatch/command-bindings.ts';
import { Dispatcher, type DispatcherDeps, type Outcome } from '../src/dispatch/dispatcher.ts';
import type { EventCrypto } from '../src/dispatch/events.ts';
import type { OutMessage, Publisher } from '../src/kafka/publisher.ts';
import { emptyOrderState, OrderState, type OrderChange } from '../src/state/order-state.ts';
import { COMMAND_BINDING_PREFIX, commandBindingField, mergeState } from '../src/state/state-merge.ts';

export const TOPIC = 'paystream.commands.gopay';
export const STATE_TOPIC = 'paystream.orders.state';

/** The order state in memory: merged like OrderReferences, bound commandIds indexed the same way. */
export class MemoryOrders implements OrderBook {
  readonly states = new Map<string, OrderState>();
  readonly #commands = new Map<string, string>();

  /** The state rebuilt from the state records written so far, as a restarted worker reads the topic. */
  static from(records: readonly OutMessage[]): MemoryOrders {
    const orders = new MemoryOrders();
    for (const r of records)
      if (r.topic === STATE_TOPIC && r.key && r.value)
        orders.applied(r.key, mergeState(orders.states.get(r.key), OrderState.parse(JSON.parse(r.value))));
    return orders;
  }

  get(orderId: string): OrderState {
    return this.states.get(orderId) ?? emptyOrderState();
  }

  change(orderId: string, change: OrderChange): { merged: OrderState; record?: OutMessage } {
    const merged = mergeState(this.states.get(orderId), change);
    return { merged, record: { topic: STATE_TOPIC, key: orderId, value: JSON.stringify(merged) } };
  }

  applied(orderId: string, merged: OrderState): void {
    this.states.set(orderId, merged);
    for (const key of Object.keys(merged.commands)) this.#commands.set(COMMAND_BINDING_PREFIX + key, orderId);
  }

  orderOfCommand(commandId: string): string | undefined {
    return this.#commands.get(commandBindingField(commandId));
  }
}

/** An order's state holding `change`, as the runtime would have merged it. */
export const orderState = (change: OrderChange = {}): OrderState => mergeState(undefined, change);

export type Answer = (op: string, ctx: OperationContext<unknown>) => Promise<PaymentUpdate>;

const settled =
  (status: PaymentUpdate['status']): Answer =>
  () =>
    Promise.resolve({ status, references: { referenceNo: `ref-${randomUUID()}` } });

/** A gopay-like plugin whose every operation is `answer`; the contexts it was called with are kept. */
export function fakePlugin(answer: Answer = (op, ctx) => settled(op === 'refund' ? 'refunded' : 'action_required')(op, ctx)): {
  plugin: PaymentMethodPlugin;
  calls: OperationContext<unknown>[];
} {
  const calls: OperationContext<unknown>[] = [];
  const op =
    (name: string) =>
    (ctx: OperationContext<unknown>): Promise<PaymentUpdate> => {
      calls.push(ctx);
      return answer(name, ctx);
    };
  const plugin = {
    method: 'gopay',
    topic: TOPIC,
    api: 'snap',
    details: z.object({ note: z.string().optional() }),
    customerAuthentication: { description: 'in the app', factors: ['PIN', 'device possession'] },
    operations: { charge: op('charge'), status: op('status'), refund: op('refund'), cancel: op('cancel') },
    notifications: {},
    pendingTimeoutMs: 60_000,
  } as unknown as PaymentMethodPlugin;
  return { plugin, calls };
}

export interface Harness {
  readonly d: Dispatcher;
  readonly sent: OutMessage[];
  readonly outcomes: Outcome[];
  readonly calls: OperationContext<unknown>[];
  /** The event-encryption keys, by key id, as `dlqPayload` takes them. */
  readonly keys: ReadonlyMap<string, Uint8Array>;
}

/** A publisher that keeps every record it is given in `sent`. */
export function keepingPublisher(sent: OutMessage[]): Publisher {
  return { send: (records: readonly OutMessage[]) => (sent.push(...records), Promise.resolve()) } as unknown as Publisher;
}

/** Event crypto with keys made now, and the encryption key by key id, as `dlqPayload` takes them. */
export function testCrypto(): { crypto: EventCrypto; keys: ReadonlyMap<string, Uint8Array> } {
  const key = randomBytes(32);
  const crypto = { signer: EventSigner.generate().signer, cipher: new FieldCipher([key]), source: 'paystream/test' };
  return { crypto, keys: new Map([[aesKeyId(key), key]]) };
}

/** A dispatcher over a publisher that keeps every record; pass `orders` to keep state. */
export function harness(opts: { answer?: Answer; orders?: OrderBook; deps?: Partial<DispatcherDeps> } = {}): Harness {
  const sent: OutMessage[] = [];
  const outcomes: Outcome[] = [];
  const publisher = keepingPublisher(sent);
  const { crypto, keys } = testCrypto();
  const { plugin, calls } = fakePlugin(opts.answer);
  const d = new Dispatcher({
    plugins: new Map([['gopay', plugin]]),
    midtrans: {} as MidtransApi,
    publisher,
    crypto,
    retryBaseMs: 1,
    retryMaxMs: 2,
    onOutcome: (o) => outcomes.push(o),
    ...(opts.orders ? { orders: opts.orders } : {}),
    ...opts.deps,
  });
  return { d, sent, outcomes, calls, keys };
}

export const message = (
  value: string | Buffer | null,
  key: string | Buffer | null,
  headers: IHeaders = {},
  offset = '7',
): KafkaMessage => ({
  key: typeof key === 'string' ? Buffer.from(key) : key,
  value: typeof value === 'string' ? Buffer.from(value) : value,
  headers,
  offset,
  timestamp: String(Date.now()),
  attributes: 0,
});

export const commandFields = (fields: Record<string, unknown> = {}): Record<string, unknown> => ({
  commandId: randomUUID(),
  type: 'payment.charge',
  method: 'gopay',
  orderId: 'o-1',
  amount: { value: 10_000, currency: 'IDR' },
  details: {},
  requestedAt: new Date().toISOString(),
  ...fields,
});

export const command = (fields: Record<string, unknown> = {}): string => JSON.stringify(commandFields(fields));

/** Sends the command text under its own order id as key. */
export async function send(h: Harness, value: string, headers: IHeaders = {}): Promise<void> {
  const orderId = (JSON.parse(value) as { orderId?: unknown }).orderId;
  await h.d.handle({ topic: TOPIC, partition: 0, message: message(value, typeof orderId === 'string' ? orderId : null, headers) });
}

export const dlqRecords = (sent: readonly OutMessage[], commandTopic = TOPIC): DlqRecord[] =>
  sent.filter((r) => r.topic === `${commandTopic}.dlq`).map((r) => DlqRecord.parse(JSON.parse(r.value ?? 'null')));

/** The one DLQ record written, and its payload decrypted. */
export function onlyDlq(h: Harness): DlqRecord & { text: string } {
  const records = dlqRecords(h.sent);
  if (records.length !== 1) throw new Error(`expected one DLQ record, got ${String(records.length)}`);
  const record = records[0] as DlqRecord;
  return { ...record, text: dlqPayload(record, h.keys) };
}

export const results = (sent: readonly OutMessage[]): OutMessage[] => sent.filter((r) => r.topic === 'paystream.results');
