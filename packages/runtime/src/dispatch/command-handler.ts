// One command, end to end: its signer (command-auth.ts) → checks (command-checks.ts) → its commandId bound to it and the order's
// rules (command-bindings.ts, order-checks.ts) → plugin operation, retried while Midtrans is
// unavailable (operation-calls.ts) → signed result event and the order's new state, produced together
// with acks=all (order-updates.ts). Every command ends in exactly one way: its result, a DLQ record
// with a coded reason (dlq-writer.ts), or waiting for Midtrans — `handle` never throws, so the caller
// always gets to commit the offset.
import type { ConsumedMessage } from '../kafka/key-ordered-consumer.ts';
import { emptyOrderState } from '../state/order-state.ts';
import { amountMismatch } from './amount-check.ts';
import { capText } from './bounded-text.ts';
import { authenticate, authorize, type AuthRules } from './command-auth.ts';
import type { CommandBindings, OrderBook } from './command-bindings.ts';
import { checkCommand, type AcceptedCommand, type CommandRules } from './command-checks.ts';
import type { DlqWriter } from './dlq-writer.ts';
import { traceContext, type TraceContext } from './headers.ts';
import { report, type Listeners } from './listeners.ts';
import type { OperationCalls } from './operation-calls.ts';
import { againstOrder } from './order-checks.ts';
import type { OrderUpdates } from './order-updates.ts';
import { handlerFailed, type Refusal } from './outcome.ts';
import { stillWaiting } from './result-records.ts';
import { commandSpan } from '../tracing/command-span.ts';

/** What the handler is made of: the checks' rules, the order state, and the services it hands each step to. */
export interface CommandHandlerParts {
  readonly rules: CommandRules & AuthRules & Listeners & { readonly orders?: OrderBook | undefined };
  readonly bindings: CommandBindings;
  readonly calls: Pick<OperationCalls, 'run'>;
  readonly updates: Pick<OrderUpdates, 'publish'>;
  readonly dlq: Pick<DlqWriter, 'refuse'>;
}

export class CommandHandler {
  readonly #p: CommandHandlerParts;

  constructor(parts: CommandHandlerParts) {
    this.#p = parts;
  }

  /** Resolves once the command's result or DLQ record is acknowledged; never throws. */
  handle(m: ConsumedMessage): Promise<void> {
    return commandSpan(m, () => this.#handle(m));
  }

  async #handle(m: ConsumedMessage): Promise<void> {
    let trace: TraceContext = {};
    try {
      trace = traceContext(m.message.headers);
      const checked = this.#check(m);
      if ('code' in checked) await this.#p.dlq.refuse(m, checked, trace);
      else await this.#handleAccepted(m, checked, trace);
    } catch (err) {
      // Whatever throws unexpectedly still ends in a refusal: the checks run plugin code too (its details schema).
      await this.#p.dlq.refuse(m, handlerFailed(err), trace);
    }
  }

  /** Who sent it is settled first, on the exact bytes; then its checks; then whether its sender may send it. */
  #check(m: ConsumedMessage): Refusal | AcceptedCommand {
    const auth = authenticate(m, this.#p.rules);
    if ('code' in auth) return auth;
    const checked = checkCommand(m, this.#p.rules);
    if ('code' in checked) return checked;
    return authorize(auth.signer, checked.command, this.#p.rules) ?? checked;
  }

  /** A command that passed its checks: its commandId, its order's rules, then Midtrans. */
  async #handleAccepted(m: ConsumedMessage, a: AcceptedCommand, trace: TraceContext): Promise<void> {
    const { bindings, dlq, rules } = this.#p;
    const { command, plugin, op } = a;
    const duplicate = bindings.reserve(a);
    if (duplicate) {
      await dlq.refuse(m, duplicate, trace);
      return;
    }
    try {
      // The order guards read the order's state, so they run after the reservation: a reused commandId is named as such first.
      const state = rules.orders?.get(command.orderId) ?? emptyOrderState();
      const conflict = againstOrder(command, op, state, rules.orders?.retired?.at(command.orderId));
      if (conflict) {
        await dlq.refuse(m, conflict, trace);
        return;
      }
      await bindings.bind(a);
      await this.#answer(m, a, trace);
    } catch (err) {
      await dlq.refuse(m, handlerFailed(err, { ...command, method: plugin.method }), trace);
    } finally {
      bindings.release(a);
    }
  }

  async #answer(m: ConsumedMessage, { command, plugin, op }: AcceptedCommand, trace: TraceContext): Promise<void> {
    const answer = await this.#p.calls.run(plugin, op, command);
    const state = this.#p.rules.orders?.get(command.orderId);
    // A status command is answered from an inquiry, as the ingress and the reconciler are: it is
    // held to the charged amount the same way before it may say anything.
    const charged = { value: state?.amount ?? command.amount.value, currency: command.amount.currency };
    const wrong = op === 'status' ? amountMismatch(answer, charged) : undefined;
    if (wrong) {
      const facts = { method: plugin.method, orderId: command.orderId, commandId: command.commandId };
      report(this.#p.rules, { ...facts, kind: 'ignored', status: answer.status, reason: capText(wrong, 200) });
      return;
    }
    const update = op === 'status' ? stillWaiting(answer, state?.status) : answer;
    await this.#p.updates.publish(command, plugin, update, {
      verification: op === 'status' ? 'inquiry' : 'response',
      ...trace,
      partition: m.partition,
      receivedAt: Number(m.message.timestamp),
    });
  }
}
