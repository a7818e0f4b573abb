// One command, end to end: checks (command-checks.ts) → its commandId bound to it and the order's
// rules (command-bindings.ts, order-checks.ts) → plugin operation, retried while Midtrans is
// unavailable (retry.ts) → signed result event and the order's new state, produced together with
// acks=all. Every command ends in exactly one way: its result, a DLQ record with a coded reason
// (dlq-writer.ts), or waiting for Midtrans — `handle` never throws, so the caller always gets to
// commit the offset.
import { setTimeout as sleep } from 'node:timers/promises';
import { topics, type PaymentCommand, type PaymentStatus } from '@paystream/contracts';
import { MidtransError } from '@paystream/core';
import type { Operation, PaymentMethodPlugin, PaymentUpdate } from '@paystream/plugin-sdk';
import type { ConsumedMessage } from '../kafka/key-ordered-consumer.ts';
import { Publisher } from '../kafka/publisher.ts';
import { mayFollow } from '../state/transitions.ts';
import { amountMismatch } from './amount-check.ts';
import { capText } from './bounded-text.ts';
import { CommandBindings, withoutBindings } from './command-bindings.ts';
import { checkCommand, type AcceptedCommand } from './command-checks.ts';
import type { DispatcherDeps } from './dispatcher-deps.ts';
import { refusalRecords } from './dlq-writer.ts';
import { traceContext, type TraceContext } from './headers.ts';
import { deriveIds } from './ids.ts';
import { againstOrder } from './order-checks.ts';
import { handlerFailed, refusedOutcome, type Outcome, type Refusal } from './outcome.ts';
import { chargeFacts, resultMessage, stillWaiting, traceOf, type PublishOptions } from './result-records.ts';
import { backoffMs, untilAnswered, type Backoff } from './retry.ts';

export { outcomeLabel, REFUSAL_CODES, type Outcome, type RefusalCode } from './outcome.ts';
export type { PublishOptions } from './result-records.ts';
export type { DispatcherDeps } from './dispatcher-deps.ts';

export class Dispatcher {
  readonly #d: DispatcherDeps;
  readonly #publisher: Publisher;
  readonly #bindings: CommandBindings;
  readonly #backoff: Backoff;

  constructor(deps: DispatcherDeps) {
    this.#d = deps;
    if (deps.publisher) this.#publisher = deps.publisher;
    else if (deps.producer) this.#publisher = new Publisher(deps.producer);
    else throw new TypeError('the dispatcher needs a publisher or a producer');
    this.#bindings = new CommandBindings(deps.orders, this.#publisher);
    this.#backoff = { baseMs: deps.retryBaseMs ?? 200, maxMs: deps.retryMaxMs ?? 30_000 };
  }

  get publisher(): Publisher {
    return this.#publisher;
  }

  /** Resolves once the command's result or DLQ record is acknowledged; never throws. */
  async handle(m: ConsumedMessage): Promise<void> {
    let trace: TraceContext = {};
    try {
      trace = traceContext(m.message.headers);
      const checked = checkCommand(m, this.#d);
      if ('code' in checked) await this.#refuse(m, checked, trace);
      else await this.#handleAccepted(m, checked, trace);
    } catch (err) {
      // Whatever throws unexpectedly still ends in a refusal: the checks run plugin code too (its details schema).
      await this.#refuse(m, handlerFailed(err), trace);
    }
  }

  /** A command that passed its checks: its commandId, its order's rules, then Midtrans. */
  async #handleAccepted(m: ConsumedMessage, a: AcceptedCommand, trace: TraceContext): Promise<void> {
    const { command, plugin, op } = a;
    const duplicate = this.#bindings.reserve(a);
    if (duplicate) {
      await this.#refuse(m, duplicate, trace);
      return;
    }
    try {
      const conflict = againstOrder(command, op, this.#d.orders?.get(command.orderId) ?? {});
      if (conflict) {
        await this.#refuse(m, conflict, trace);
        return;
      }
      await this.#bindings.bind(a);
      await this.#answer(m, a, trace);
    } catch (err) {
      await this.#refuse(m, handlerFailed(err, { ...command, method: plugin.method }), trace);
    } finally {
      this.#bindings.release(a);
    }
  }

  async #answer(m: ConsumedMessage, { command, plugin, op }: AcceptedCommand, trace: TraceContext): Promise<void> {
    const answer = await this.run(plugin, op, command);
    const state = this.#d.orders?.get(command.orderId) ?? {};
    // A status command is answered from an inquiry, as the ingress and the reconciler are: it is
    // held to the charged amount the same way before it may say anything.
    const charged = { value: Number(state['amount'] ?? command.amount.value), currency: command.amount.currency };
    const wrong = op === 'status' ? amountMismatch(answer, charged) : undefined;
    const facts = { method: plugin.method, orderId: command.orderId, commandId: command.commandId };
    if (wrong) {
      this.#report({ ...facts, kind: 'ignored', status: answer.status, reason: capText(wrong, 200) });
      return;
    }
    const update = op === 'status' ? stillWaiting(answer, state['status']) : answer;
    await this.publish(command, plugin, update, {
      verification: op === 'status' ? 'inquiry' : 'response',
      ...trace,
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
    const trace = traceOf(opts);
    const base = {
      method: plugin.method,
      orderId: command.orderId,
      commandId: command.commandId,
      verification: opts.verification,
      ...trace,
    };
    if (!mayFollow(previous, update.status)) {
      this.#report({ ...base, kind: 'ignored', status: update.status, reason: `${update.status} after ${previous ?? '?'}` });
      return false;
    }
    const state = orders?.change(command.orderId, { ...update.references, ...chargeFacts(command, update, opts), status: update.status });
    const result = resultMessage(this.#d.resultsTopic ?? topics.results, command, plugin, update, opts, this.#d.crypto);
    await this.#publisher.send([...(state?.record ? [state.record] : []), result]);
    // Written: whatever fails from here on must not turn the command into a refusal as well.
    this.#guarded(() => {
      if (state) orders?.applied(command.orderId, state.merged);
    });
    const latencyMs = opts.receivedAt !== undefined && Number.isFinite(opts.receivedAt) ? Date.now() - opts.receivedAt : undefined;
    this.#report({ ...base, kind: 'result', status: update.status, ...(latencyMs === undefined ? {} : { latencyMs }) });
    return true;
  }

  /** Runs the operation until Midtrans gives an answer (see retry.ts); any other error is thrown. */
  run(plugin: PaymentMethodPlugin, op: Operation, command: PaymentCommand): Promise<PaymentUpdate> {
    const onError = (err: MidtransError): void => this.#d.onMidtransError?.(err, plugin, command);
    return untilAnswered(() => this.#attempt(plugin, op, command), onError, this.#backoff);
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
    const known = withoutBindings(this.#d.orders?.get(command.orderId) ?? {});
    // A charge starts the order's references; later commands use what the charge learnt.
    const references = op === 'charge' || !known['externalId'] ? { ...known, externalId: ids.externalId } : known;
    const account = this.#d.accountOf?.(command.merchant) ?? { vaPartnerServiceIds: {} };
    return handler({ command, midtrans: this.#d.midtrans, ids, references, account, now: () => new Date() });
  }

  /** Writes the refusal's records (retried until written: a refusal is never dropped), then reports it. */
  async #refuse(m: ConsumedMessage, refusal: Refusal, trace: TraceContext): Promise<void> {
    const target = { crypto: this.#d.crypto, resultsTopic: this.#d.resultsTopic, trace };
    for (let attempt = 0; ; attempt++) {
      try {
        await this.#publisher.send(refusalRecords(m, refusal, target));
        break;
      } catch (err) {
        this.#d.onError?.(err);
        await sleep(backoffMs(attempt, this.#backoff));
      }
    }
    this.#report(refusedOutcome(refusal, this.#d.plugins, trace));
  }

  #report(outcome: Outcome): void {
    this.#guarded(() => this.#d.onOutcome?.(outcome));
  }

  #guarded(step: () => void): void {
    try {
      step();
    } catch (err) {
      this.#d.onError?.(err);
    }
  }
}
