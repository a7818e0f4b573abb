// A plugin's operation called for a command: with the identifiers its commandId derives (ids.ts),
// the order's references so far and the merchant's public facts. A command waits out Midtrans
// (retry.ts); the ingress and the reconciler ask once, then answer or reschedule.
import type { PaymentCommand } from '@paystream/contracts';
import { MidtransError } from '@paystream/core';
import type { Operation, PaymentMethodPlugin, PaymentUpdate } from '@paystream/plugin-sdk';
import type { DispatcherDeps } from './dispatcher-deps.ts';
import { deriveIds } from './ids.ts';
import { untilAnswered, type Backoff } from './retry.ts';
import { operationSpan } from '../tracing/spans.ts';

export type OperationCallsDeps = Pick<DispatcherDeps, 'midtrans' | 'orders' | 'accountOf' | 'onMidtransError'>;

export class OperationCalls {
  readonly #d: OperationCallsDeps;
  readonly #backoff: Backoff;

  constructor(deps: OperationCallsDeps, backoff: Backoff) {
    this.#d = deps;
    this.#backoff = backoff;
  }

  /** Runs the operation until Midtrans gives an answer (see retry.ts); any other error is thrown. */
  run(plugin: PaymentMethodPlugin, op: Operation, command: PaymentCommand): Promise<PaymentUpdate> {
    const onError = (err: MidtransError): void => this.#d.onMidtransError?.(err, plugin, command);
    return untilAnswered(() => this.#call(plugin, op, command), onError, this.#backoff);
  }

  /** One call, the client's own retries included; a MidtransError is reported, then thrown. */
  async once(plugin: PaymentMethodPlugin, op: Operation, command: PaymentCommand): Promise<PaymentUpdate> {
    try {
      return await this.#call(plugin, op, command);
    } catch (err) {
      if (MidtransError.is(err)) this.#d.onMidtransError?.(err, plugin, command);
      throw err;
    }
  }

  #call(plugin: PaymentMethodPlugin, op: Operation, command: PaymentCommand): Promise<PaymentUpdate> {
    const handler = plugin.operations[op] ?? plugin.operations.status;
    const ids = deriveIds(command.commandId);
    // Plugins see the order's Midtrans references only, never the runtime's own fields or bindings.
    const known = this.#d.orders?.get(command.orderId).references ?? {};
    // A charge starts the order's references; later commands use what the charge learnt.
    const references = op === 'charge' || !known['externalId'] ? { ...known, externalId: ids.externalId } : known;
    const account = this.#d.accountOf?.(command.merchant) ?? { vaPartnerServiceIds: {} };
    const input = { command, midtrans: this.#d.midtrans, ids, references, account, now: () => new Date() };
    return operationSpan(plugin.method, op, () => handler(input));
  }
}
