// One command, end to end: parse → envelope schema → guards → plugin schema → plugin operation →
// signed result event → produced with acks=all. Only then does the caller commit the offset.
// Invalid or forbidden commands go to the DLQ with their reason; Midtrans being unavailable never
// does — the command waits and is retried with the same identifiers.
import { setTimeout as sleep } from 'node:timers/promises';
import { DlqHeaders, PaymentCommand, topics, type PaymentStatus } from '@paystream/contracts';
import { MidtransError, type MidtransApi } from '@paystream/core';
import type { MerchantAccount, Operation, PaymentMethodPlugin, PaymentUpdate } from '@paystream/plugin-sdk';
import type { Producer } from 'kafkajs';
import type { ConsumedMessage } from '../kafka/key-ordered-consumer.ts';
import { paymentEvent, rejectedEvent, type EventCrypto, type Rejection, type Verification } from './events.ts';
import { mayFollow } from '../state/transitions.ts';
import { containsCardNumber, disablesThreeDs, maskCards } from './guards.ts';
import { deriveIds } from './ids.ts';
import type { OrderReferences } from '../state/order-references.ts';

export interface DispatcherDeps {
  readonly plugins: ReadonlyMap<string, PaymentMethodPlugin>;
  readonly midtrans: MidtransApi;
  readonly producer: Producer;
  readonly crypto: EventCrypto;
  /** Backoff bounds while Midtrans is unavailable (ms). */
  readonly retryBaseMs?: number;
  readonly retryMaxMs?: number;
  readonly onOutcome?: (outcome: { method: string; result: string }) => void;
  /** Topic names; the defaults are the contract's (`paystream.results`, `<command topic>.dlq`). */
  readonly resultsTopic?: string;
  readonly commandTopic?: (plugin: PaymentMethodPlugin) => string;
  /** Where each order's Midtrans references are kept between commands. */
  readonly orders?: OrderReferences;
  /** The public facts (MID, VA partnerServiceIds) of a credential set, for request bodies. */
  readonly accountOf?: (merchant: string | undefined) => MerchantAccount;
}

type Refusal = Omit<Rejection, 'topic' | 'partition' | 'offset'>;

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return undefined;
  }
}

const field = (v: unknown, k: string): string | undefined => {
  const x = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined;
  return typeof x === 'string' ? x : undefined;
};

export class Dispatcher {
  readonly #d: DispatcherDeps;

  constructor(deps: DispatcherDeps) {
    this.#d = deps;
  }

  /** Never throws for a bad command; resolves once its result (or DLQ record) is acknowledged. */
  async handle(m: ConsumedMessage): Promise<void> {
    const raw = m.message.value?.toString('utf8') ?? '';
    const checked = this.#check(raw, m.topic);
    if ('code' in checked) return this.#reject(m, raw, checked);
    const { command, plugin, op } = checked;
    const update = await this.run(plugin, op, command);
    const traceparent = m.message.headers?.['traceparent']?.toString();
    await this.publish(command, plugin, update, op === 'status' ? 'inquiry' : 'response', traceparent);
  }

  /**
   * Records the order's references and status, then publishes the result — unless the order's state
   * machine forbids it (a late or out-of-order answer after a terminal outcome).
   */
  async publish(command: PaymentCommand, plugin: PaymentMethodPlugin, update: PaymentUpdate, verification: Verification, traceparent?: string): Promise<boolean> {
    const previous = this.#d.orders?.get(command.orderId)['status'] as PaymentStatus | undefined;
    if (!mayFollow(previous, update.status)) {
      this.#d.onOutcome?.({ method: command.method, result: `ignored ${update.status} after ${previous ?? '?'}` });
      return false;
    }
    const charge = command.type === 'payment.charge' ? { method: command.method, chargeCommandId: command.commandId, amount: String(command.amount.value) } : {};
    await this.#d.orders?.remember(command.orderId, { ...update.references, ...charge, status: update.status });
    const event = paymentEvent(command, plugin, update, verification, this.#d.crypto, traceparent);
    await this.#d.producer.send({ topic: this.#d.resultsTopic ?? topics.results, acks: -1, messages: [{ key: command.orderId, value: JSON.stringify(event), headers: { 'content-type': 'application/cloudevents+json', ...(traceparent ? { traceparent } : {}) } }] });
    this.#d.onOutcome?.({ method: command.method, result: update.status });
    return true;
  }

  #check(raw: string, topic: string): Refusal | { command: PaymentCommand; plugin: PaymentMethodPlugin; op: Operation } {
    const json = parseJson(raw);
    const known = { ...(field(json, 'orderId') ? { orderId: field(json, 'orderId') } : {}), ...(field(json, 'commandId') ? { commandId: field(json, 'commandId') } : {}), ...(field(json, 'method') ? { method: field(json, 'method') } : {}) } as Omit<Refusal, 'code' | 'message'>;
    if (json === undefined) return { code: 'PS_ERR_COMMAND_MALFORMED', message: 'the command is not JSON' };
    if (containsCardNumber(raw)) return { ...known, code: 'PS_ERR_COMMAND_CARD_DATA', message: 'the command carries a card number; send a Midtrans card token instead' };
    const parsed = PaymentCommand.safeParse(json);
    if (!parsed.success) return { ...known, code: 'PS_ERR_COMMAND_INVALID', message: parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ') };
    const command = parsed.data;
    const plugin = this.#d.plugins.get(command.method);
    if (!plugin || (this.#d.commandTopic?.(plugin) ?? plugin.topic) !== topic) return { ...known, code: 'PS_ERR_COMMAND_UNKNOWN_METHOD', message: `no plugin handles method "${command.method}" on ${topic}` };
    if (disablesThreeDs(command.details)) return { ...known, code: 'PS_ERR_COMMAND_3DS_DISABLED', message: '3-D Secure is decided by the backend and cannot be switched off by a command' };
    const details = plugin.details.safeParse(command.details);
    if (!details.success) return { ...known, code: 'PS_ERR_COMMAND_INVALID_DETAILS', message: details.error.issues.map((i) => `details.${i.path.join('.')}: ${i.message}`).join('; ') };
    const op = command.type.slice('payment.'.length) as Operation;
    if (!plugin.operations[op]) return { ...known, code: 'PS_ERR_COMMAND_UNSUPPORTED', message: `${plugin.method} does not support ${command.type}` };
    return { command: { ...command, details: details.data as Record<string, unknown> }, plugin, op };
  }

  /**
   * Runs the operation until Midtrans gives an answer. Unavailability and unknown outcomes are
   * retried with the same identifiers (an unknown charge outcome by status inquiry), never dropped.
   */
  async run(plugin: PaymentMethodPlugin, op: Operation, command: PaymentCommand): Promise<PaymentUpdate> {
    const ids = deriveIds(command.commandId);
    let current: Operation = op;
    for (let attempt = 0; ; attempt++) {
      const handler = plugin.operations[current] ?? plugin.operations.status;
      try {
        const known = this.#d.orders?.get(command.orderId) ?? {};
        // A charge starts the order's references; later commands use what the charge learnt.
        const references = op === 'charge' || !known['externalId'] ? { ...known, externalId: ids.externalId } : known;
        const account = this.#d.accountOf?.(command.merchant) ?? { vaPartnerServiceIds: {} };
        return await handler({ command, midtrans: this.#d.midtrans, ids: { ...ids, inquiryId: deriveIds(command.commandId).inquiryId }, references, account, now: () => new Date() });
      } catch (err) {
        if (!MidtransError.is(err)) throw err;
        if (err.outcomeUnknown && (current === 'charge' || current === 'refund' || current === 'cancel')) current = 'status';
        const max = this.#d.retryMaxMs ?? 30_000;
        await sleep(Math.min(max, (this.#d.retryBaseMs ?? 200) * 2 ** Math.min(attempt, 10)) * (0.5 + Math.random() / 2));
      }
    }
  }

  async #reject(m: ConsumedMessage, raw: string, refusal: Refusal): Promise<void> {
    const where = { topic: m.topic, partition: m.partition, offset: m.message.offset };
    const record = { code: refusal.code, message: refusal.message, originalTopic: m.topic, originalPartition: m.partition, originalOffset: m.message.offset, attempts: 1, firstSeen: new Date().toISOString(), payload: maskCards(raw) };
    const headers: Record<string, string> = { [DlqHeaders.code]: refusal.code, [DlqHeaders.message]: refusal.message, [DlqHeaders.topic]: m.topic, [DlqHeaders.partition]: String(m.partition), [DlqHeaders.offset]: m.message.offset, [DlqHeaders.attempts]: '1', [DlqHeaders.firstSeen]: record.firstSeen };
    const key = refusal.orderId ?? m.message.key?.toString() ?? null;
    const messages: { topic: string; messages: { key: string | null; value: string; headers: Record<string, string> }[] }[] = [{ topic: `${m.topic}.dlq`, messages: [{ key, value: JSON.stringify(record), headers }] }];
    if (refusal.orderId) messages.push({ topic: this.#d.resultsTopic ?? topics.results, messages: [{ key, value: JSON.stringify(rejectedEvent({ ...refusal, ...where }, this.#d.crypto)), headers: { 'content-type': 'application/cloudevents+json' } }] });
    await this.#d.producer.sendBatch({ acks: -1, topicMessages: messages });
    this.#d.onOutcome?.({ method: refusal.method ?? 'unknown', result: refusal.code });
  }
}
