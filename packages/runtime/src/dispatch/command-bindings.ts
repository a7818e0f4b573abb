// A commandId names one command forever. Every Midtrans identifier of a command derives from its
// commandId (ids.ts), so the same commandId on another body — another order, type, amount or
// details — would make Midtrans replay the first command's answer for it. The order state binds
// each commandId to the fingerprint of its command before Midtrans sees it, so the binding holds
// across restarts and workers; a redelivery of the identical command matches its binding and passes.
import { createHash } from 'node:crypto';
import type { PaymentCommand } from '@paystream/contracts';
import { codes } from '@paystream/core';
import type { Publisher } from '../kafka/publisher.ts';
import type { OrderReferences } from '../state/order-references.ts';
import { emptyOrderState, type OrderState } from '../state/order-state.ts';
import { commandKey } from '../state/state-merge.ts';
import type { AcceptedCommand } from './command-checks.ts';
import { refusal, type Refusal } from './outcome.ts';

/** What the dispatcher reads and writes of the order state, and the ids of the orders that left it. */
export type OrderBook = Pick<OrderReferences, 'get' | 'change' | 'applied' | 'orderOfCommand'> & {
  readonly retired?: Pick<OrderReferences['retired'], 'at'>;
};

/**
 * The most commands one order's state binds. A real order sees a charge, perhaps a cancel and a
 * few refunds; the bound keeps the state record within what the state topic accepts.
 */
export const MAX_BOUND_COMMANDS = 24;

/** Plain objects with their keys sorted, so a command's fingerprint does not depend on key order. */
const sortedKeys = (_key: string, value: unknown): unknown =>
  value !== null && typeof value === 'object' && !Array.isArray(value)
    ? Object.fromEntries(Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    : value;

/** The command's identity: everything it asks of Midtrans, not when it was asked. */
export function fingerprint(command: PaymentCommand, sentDetails: Readonly<Record<string, unknown>>): string {
  const { type, method, orderId, merchant, amount, customer } = command;
  const identity = { type, method, orderId, merchant: merchant ?? null, amount, customer: customer ?? null, details: sentDetails };
  return createHash('sha256').update(JSON.stringify(identity, sortedKeys)).digest('base64url').slice(0, 22);
}

/** Status inquiries change nothing at Midtrans and send no identifier of their commandId: they are checked, never bound. */
const binds = (a: AcceptedCommand): boolean => a.op !== 'status';

/**
 * A charge recorded before bindings existed is bound by its chargeCommandId: the same commandId is
 * the same command only as a charge of the same amount for the same merchant.
 */
function differsFromRecordedCharge(a: AcceptedCommand, state: OrderState): boolean {
  if (state.chargeCommandId !== a.command.commandId) return false;
  return a.op !== 'charge' || state.amount !== a.command.amount.value || state.merchant !== a.command.merchant;
}

export class CommandBindings {
  readonly #orders: OrderBook | undefined;
  readonly #publisher: Publisher;
  /** Commands of this worker checked but not yet bound in the state: two of them may race. */
  readonly #pending = new Map<string, { readonly orderId: string; readonly fingerprint: string }>();

  constructor(orders: OrderBook | undefined, publisher: Publisher) {
    this.#orders = orders;
    this.#publisher = publisher;
  }

  /**
   * The refusal when the commandId already names another command; otherwise reserves it for this
   * command until `release`.
   */
  reserve(a: AcceptedCommand): Refusal | undefined {
    const { commandId, orderId } = a.command;
    const print = fingerprint(a.command, a.sentDetails);
    const known = { orderId, commandId, method: a.command.method };
    const refuse = (why: string): Refusal => refusal(codes.PS_ERR_COMMAND_DUPLICATE_ID, { commandId, why }, known);
    const pending = this.#pending.get(commandId);
    const owner = this.#orders?.orderOfCommand(commandId) ?? pending?.orderId;
    if (owner !== undefined && owner !== orderId) return refuse('already names a command of another order');
    const state = this.#orders?.get(orderId) ?? emptyOrderState();
    const bound = state.commands[commandKey(commandId)] ?? pending?.fingerprint;
    if ((bound !== undefined && bound !== print) || differsFromRecordedCharge(a, state))
      return refuse('already names another command of this order (another type, amount or details)');
    if (bound === undefined && binds(a) && Object.keys(state.commands).length >= MAX_BOUND_COMMANDS)
      return refusal(codes.PS_ERR_COMMAND_ORDER_COMMANDS_EXHAUSTED, { orderId, limit: MAX_BOUND_COMMANDS }, known);
    if (binds(a)) this.#pending.set(commandId, { orderId, fingerprint: print });
    return undefined;
  }

  /** Persists the binding (acks=all) before the command may reach Midtrans; nothing to do when it is already bound. */
  async bind(a: AcceptedCommand): Promise<void> {
    const orders = this.#orders;
    if (!orders || !binds(a)) return;
    const key = commandKey(a.command.commandId);
    const print = this.#pending.get(a.command.commandId)?.fingerprint ?? fingerprint(a.command, a.sentDetails);
    if (orders.get(a.command.orderId).commands[key] === print) return;
    const { merged, record } = orders.change(a.command.orderId, { commands: { [key]: print } });
    if (!record) return;
    await this.#publisher.send([record]);
    orders.applied(a.command.orderId, merged);
  }

  release(a: AcceptedCommand): void {
    const pending = this.#pending.get(a.command.commandId);
    if (pending?.orderId === a.command.orderId) this.#pending.delete(a.command.commandId);
  }
}
