// One command, end to end: parse → envelope schema → guards → plugin schema → plugin operation →
// signed result event and the order's new state, produced together with acks=all. Only then does
// the caller commit the offset. Invalid or forbidden commands go to the DLQ with their reason;
// Midtrans being unavailable never does — the command waits and is retried with the same identifiers.
import { setTimeout as sleep } from 'node:timers/promises';
import { DlqHeaders, PaymentCommand, topics, type PaymentStatus } from '@paystream/contracts';
import { MidtransError, type MidtransApi } from '@paystream/core';
import type { MerchantAccount, Operation, PaymentMethodPlugin, PaymentUpdate } from '@paystream/plugin-sdk';
import type { Producer } from 'kafkajs';
import type { ConsumedMessage } from '../kafka/key-ordered-consumer.ts';
import { Publisher, type OutMessage } from '../kafka/publisher.ts';
import type { OrderReferences } from '../state/order-references.ts';
import { mayFollow } from '../state/transitions.ts';
import { amountMismatch } from './amount-check.ts';
import { paymentEvent, rejectedEvent, type EventCrypto, type Rejection, type Verification } from './events.ts';
import { containsCardNumber, disablesThreeDs, maskCards, maskedPayload, MAX_DETAILS_DEPTH, numbersHoldCard } from './guards.ts';
import { deriveIds } from './ids.ts';

/** What happened to one command or notification, for metrics and logs. */
export interface Outcome {
  readonly method: string;
  /** A payment status, `ignored <status> after <status>`, or a PS_ERR_* code (DLQ). */
  readonly result: string;
  readonly orderId?: string;
  readonly commandId?: string;
  readonly verification?: Verification;
  /** Milliseconds from the command's arrival on Kafka to its acknowledged result. */
  readonly latencyMs?: number;
  readonly traceparent?: string;
  readonly correlationId?: string;
}

export interface DispatcherDeps {
  readonly plugins: ReadonlyMap<string, PaymentMethodPlugin>;
  readonly midtrans: MidtransApi;
  /** Where records are written; one is made around `producer` when absent. */
  readonly publisher?: Publisher;
  readonly producer?: Producer;
  readonly crypto: EventCrypto;
  /** Backoff bounds while Midtrans is unavailable (ms). */
  readonly retryBaseMs?: number;
  readonly retryMaxMs?: number;
  readonly onOutcome?: (outcome: Outcome) => void;
  /** Every failure of the machinery towards Midtrans (breaker open, refused credentials, outages). */
  readonly onMidtransError?: (err: MidtransError, plugin: PaymentMethodPlugin, command: PaymentCommand) => void;
  /** Topic names; the defaults are the contract's (`paystream.results`, `<command topic>.dlq`). */
  readonly resultsTopic?: string;
  readonly commandTopic?: (plugin: PaymentMethodPlugin) => string;
  /** Where each order's Midtrans references are kept between commands. */
  readonly orders?: OrderReferences;
  /** The public facts (MID, VA partnerServiceIds) of a credential set, for request bodies. */
  readonly accountOf?: (merchant: string | undefined) => MerchantAccount;
}

export interface PublishOptions {
  readonly verification: Verification;
  readonly traceparent?: string;
  /** The upstream correlation id (`correlation-id` header), carried to the result's headers and the logs. */
  readonly correlationId?: string;
  /** The command-topic partition the order's charge came from: whoever owns it reconciles the order. */
  readonly partition?: number;
  /** When the command reached Kafka (epoch ms), for the command→result latency. */
  readonly receivedAt?: number;
}

type Refusal = Omit<Rejection, 'topic' | 'partition' | 'offset'>;

/**
 * An inquiry cannot tell "waiting for the customer" from "pending": both are Midtrans' pending. Asked
 * by a status command about an order that is waiting for its customer, the answer is that it still
 * is — so the command gets its result instead of being dropped as a step back to pending.
 */
function stillWaiting(update: PaymentUpdate, current: string | undefined): PaymentUpdate {
  return update.status === 'pending' && current === 'action_required' ? { ...update, status: 'action_required' } : update;
}

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

/**
 * The identifying fields of a command refused for card data, less any that hold the card: they go
 * to logs, metrics labels, the DLQ key and the rejected event, where no card may go.
 */
const withoutCards = (known: Omit<Refusal, 'code' | 'message'>): Omit<Refusal, 'code' | 'message'> =>
  Object.fromEntries(Object.entries(known).filter(([, v]) => typeof v === 'string' && !containsCardNumber(v)));

const issues = (prefix: string, list: readonly { path: readonly PropertyKey[]; message: string }[]): string =>
  list.map((i) => `${prefix}${i.path.map(String).join('.') || (prefix ? '' : '(root)')}: ${i.message}`).join('; ');

export class Dispatcher {
  readonly #d: DispatcherDeps;
  readonly #publisher: Publisher;

  constructor(deps: DispatcherDeps) {
    this.#d = deps;
    if (deps.publisher) this.#publisher = deps.publisher;
    else if (deps.producer) this.#publisher = new Publisher(deps.producer);
    else throw new TypeError('the dispatcher needs a publisher or a producer');
  }

  get publisher(): Publisher {
    return this.#publisher;
  }

  /** Never throws for a bad command; resolves once its result (or DLQ record) is acknowledged. */
  async handle(m: ConsumedMessage): Promise<void> {
    const raw = m.message.value?.toString('utf8') ?? '';
    const checked = this.#check(raw, m.topic);
    if ('code' in checked) return this.#reject(m, raw, checked);
    const { command, plugin, op } = checked;
    const conflict = this.#againstOrder(command, op);
    if (conflict) return this.#reject(m, raw, conflict);
    const answer = await this.run(plugin, op, command);
    const state = this.#d.orders?.get(command.orderId) ?? {};
    // A status command is answered from an inquiry, as the ingress and the reconciler are: it is
    // held to the charged amount the same way before it may say anything.
    const wrong = op === 'status' ? amountMismatch(answer, { value: Number(state['amount'] ?? command.amount.value), currency: command.amount.currency }) : undefined;
    if (wrong) {
      this.#d.onOutcome?.({ method: command.method, orderId: command.orderId, commandId: command.commandId, result: `ignored ${answer.status}: ${wrong}` });
      return;
    }
    const update = op === 'status' ? stillWaiting(answer, state['status']) : answer;
    const traceparent = m.message.headers?.['traceparent']?.toString();
    const correlationId = m.message.headers?.['correlation-id']?.toString();
    await this.publish(command, plugin, update, {
      verification: op === 'status' ? 'inquiry' : 'response',
      ...(traceparent ? { traceparent } : {}),
      ...(correlationId ? { correlationId } : {}),
      partition: m.partition,
      receivedAt: Number(m.message.timestamp),
    });
  }

  /**
   * Records the order's references and status and publishes the result in one acknowledged write —
   * unless the order's state machine forbids it (a late or out-of-order answer after a terminal
   * outcome). Returns whether an event was published.
   */
  async publish(command: PaymentCommand, plugin: PaymentMethodPlugin, update: PaymentUpdate, opts: PublishOptions): Promise<boolean> {
    const orders = this.#d.orders;
    const previous = orders?.get(command.orderId)['status'] as PaymentStatus | undefined;
    const base = { method: command.method, orderId: command.orderId, commandId: command.commandId, verification: opts.verification, ...(opts.traceparent ? { traceparent: opts.traceparent } : {}), ...(opts.correlationId ? { correlationId: opts.correlationId } : {}) };
    if (!mayFollow(previous, update.status)) {
      this.#d.onOutcome?.({ ...base, result: `ignored ${update.status} after ${previous ?? '?'}` });
      return false;
    }
    const charge =
      command.type === 'payment.charge'
        ? {
            method: command.method,
            chargeCommandId: command.commandId,
            amount: String(command.amount.value),
            ...(command.merchant ? { merchant: command.merchant } : {}),
            ...(opts.partition === undefined ? {} : { partition: String(opts.partition) }),
            ...(update.action?.expiresAt ? { expiresAt: update.action.expiresAt } : {}),
          }
        : {};
    const state = orders?.change(command.orderId, { ...update.references, ...charge, status: update.status });
    const event = paymentEvent(command, plugin, update, opts.verification, this.#d.crypto, opts.traceparent);
    const headers: Record<string, string> = { 'content-type': 'application/cloudevents+json', ...(opts.traceparent ? { traceparent: opts.traceparent } : {}), ...(opts.correlationId ? { 'correlation-id': opts.correlationId } : {}) };
    const records: OutMessage[] = [...(state?.record ? [state.record] : []), { topic: this.#d.resultsTopic ?? topics.results, key: command.orderId, value: JSON.stringify(event), headers }];
    await this.#publisher.send(records);
    if (state) orders?.applied(command.orderId, state.merged);
    const latencyMs = opts.receivedAt !== undefined && Number.isFinite(opts.receivedAt) ? Date.now() - opts.receivedAt : undefined;
    this.#d.onOutcome?.({ ...base, result: update.status, ...(latencyMs === undefined ? {} : { latencyMs }) });
    return true;
  }

  #check(raw: string, topic: string): Refusal | { command: PaymentCommand; plugin: PaymentMethodPlugin; op: Operation } {
    const json = parseJson(raw);
    const known = { ...(field(json, 'orderId') ? { orderId: field(json, 'orderId') } : {}), ...(field(json, 'commandId') ? { commandId: field(json, 'commandId') } : {}), ...(field(json, 'method') ? { method: field(json, 'method') } : {}) } as Omit<Refusal, 'code' | 'message'>;
    if (json === undefined) return { code: 'PS_ERR_COMMAND_MALFORMED', message: 'the command is not JSON' };
    if (containsCardNumber(raw) || numbersHoldCard(json)) return { ...withoutCards(known), code: 'PS_ERR_COMMAND_CARD_DATA', message: 'the command carries a card number; send a Midtrans card token instead' };
    const parsed = PaymentCommand.safeParse(json);
    if (!parsed.success) return { ...known, code: 'PS_ERR_COMMAND_INVALID', message: issues('', parsed.error.issues) };
    const command = parsed.data;
    const plugin = this.#d.plugins.get(command.method);
    if (!plugin || (this.#d.commandTopic?.(plugin) ?? plugin.topic) !== topic) return { ...known, code: 'PS_ERR_COMMAND_UNKNOWN_METHOD', message: `no plugin handles method "${command.method}" on ${topic}` };
    if (disablesThreeDs(command.details)) return { ...known, code: 'PS_ERR_COMMAND_3DS_DISABLED', message: `3-D Secure is decided by the backend and cannot be switched off by a command (details nested deeper than ${String(MAX_DETAILS_DEPTH)} levels count as switching it off)` };
    const op = command.type.slice('payment.'.length) as Operation;
    if (!plugin.operations[op]) return { ...known, code: 'PS_ERR_COMMAND_UNSUPPORTED', message: `${plugin.method} does not support ${command.type}` };
    // A charge must carry valid details. Later commands name the order only: what the charge needed
    // (a card token, a bank) lives in the order state, so empty details take the plugin's defaults.
    const omitted = op !== 'charge' && Object.keys(command.details).length === 0;
    const details = plugin.details.safeParse(command.details);
    if (!details.success && !omitted) return { ...known, code: 'PS_ERR_COMMAND_INVALID_DETAILS', message: issues('details.', details.error.issues) };
    return { command: { ...command, details: details.success ? (details.data as Record<string, unknown>) : {} }, plugin, op };
  }

  /**
   * What a command may not do to the order it names, whatever its own shape: charge an order a
   * second time under another command (Midtrans would open a second transaction for the same order,
   * and the customer could pay twice), or refund more than was charged. A redelivered charge has the
   * same commandId and passes: Midtrans replays its first answer.
   */
  #againstOrder(command: PaymentCommand, op: Operation): Refusal | undefined {
    const state = this.#d.orders?.get(command.orderId) ?? {};
    const known = { orderId: command.orderId, commandId: command.commandId, method: command.method };
    const charged = state['chargeCommandId'];
    if (op === 'charge' && charged !== undefined && charged !== command.commandId)
      return { ...known, code: 'PS_ERR_COMMAND_ORDER_CHARGED', message: `order ${command.orderId} was already charged by command ${charged}; a new payment needs a new orderId` };
    const amount = Number(state['amount']);
    if (op === 'refund' && state['amount'] !== undefined && command.amount.value > amount)
      return { ...known, code: 'PS_ERR_COMMAND_REFUND_EXCEEDS_CHARGE', message: `the refund of ${String(command.amount.value)} exceeds the ${String(amount)} charged for order ${command.orderId}` };
    return undefined;
  }

  /**
   * Runs the operation until Midtrans gives an answer. Unavailability and unknown outcomes are
   * retried with the same identifiers and the same bytes — Midtrans replays what it already did
   * (X-EXTERNAL-ID, Idempotency-Key, partnerRefundNo) — never with new ones, and never dropped.
   */
  async run(plugin: PaymentMethodPlugin, op: Operation, command: PaymentCommand): Promise<PaymentUpdate> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.#attempt(plugin, op, command);
      } catch (err) {
        if (!MidtransError.is(err)) throw err;
        this.#d.onMidtransError?.(err, plugin, command);
        const max = this.#d.retryMaxMs ?? 30_000;
        await sleep(Math.min(max, (this.#d.retryBaseMs ?? 200) * 2 ** Math.min(attempt, 10)) * (0.5 + Math.random() / 2));
      }
    }
  }

  /**
   * One status inquiry (the client's own retries included) for the notification ingress and the
   * reconciler, which must answer or reschedule rather than wait out an outage. Throws MidtransError.
   */
  async inquire(plugin: PaymentMethodPlugin, command: PaymentCommand): Promise<PaymentUpdate> {
    try {
      return await this.#attempt(plugin, 'status', command);
    } catch (err) {
      if (MidtransError.is(err)) this.#d.onMidtransError?.(err, plugin, command);
      throw err;
    }
  }

  #attempt(plugin: PaymentMethodPlugin, op: Operation, command: PaymentCommand): Promise<PaymentUpdate> {
    const handler = plugin.operations[op] ?? plugin.operations.status;
    const ids = deriveIds(command.commandId);
    const known = this.#d.orders?.get(command.orderId) ?? {};
    // A charge starts the order's references; later commands use what the charge learnt.
    const references = op === 'charge' || !known['externalId'] ? { ...known, externalId: ids.externalId } : known;
    const account = this.#d.accountOf?.(command.merchant) ?? { vaPartnerServiceIds: {} };
    return handler({ command, midtrans: this.#d.midtrans, ids, references, account, now: () => new Date() });
  }

  async #reject(m: ConsumedMessage, raw: string, refusal: Refusal): Promise<void> {
    const where = { topic: m.topic, partition: m.partition, offset: m.message.offset };
    // A command replayed from the DLQ carries how often it was refused and since when.
    const header = (name: string): string | undefined => m.message.headers?.[name]?.toString();
    const attempts = (Number(header(DlqHeaders.attempts)) || 0) + 1;
    // Whatever the command brought along is masked like its payload: the key and the header may be the card.
    const firstSeen = maskCards(header(DlqHeaders.firstSeen) ?? new Date().toISOString());
    const payload = maskedPayload(raw, parseJson(raw));
    const record = { code: refusal.code, message: refusal.message, originalTopic: m.topic, originalPartition: m.partition, originalOffset: m.message.offset, attempts, firstSeen, payload, payloadMasked: payload !== raw };
    const headers: Record<string, string> = { [DlqHeaders.code]: refusal.code, [DlqHeaders.message]: refusal.message, [DlqHeaders.topic]: m.topic, [DlqHeaders.partition]: String(m.partition), [DlqHeaders.offset]: m.message.offset, [DlqHeaders.attempts]: String(attempts), [DlqHeaders.firstSeen]: firstSeen };
    const key = refusal.orderId ?? (m.message.key ? maskCards(m.message.key.toString()) : null);
    const records: OutMessage[] = [{ topic: `${m.topic}.dlq`, key, value: JSON.stringify(record), headers }];
    if (refusal.orderId) records.push({ topic: this.#d.resultsTopic ?? topics.results, key, value: JSON.stringify(rejectedEvent({ ...refusal, ...where }, this.#d.crypto)), headers: { 'content-type': 'application/cloudevents+json' } });
    await this.#publisher.send(records);
    this.#d.onOutcome?.({ method: refusal.method ?? 'unknown', result: refusal.code, ...(refusal.orderId ? { orderId: refusal.orderId } : {}), ...(refusal.commandId ? { commandId: refusal.commandId } : {}) });
  }
}
