// What the command handler, the notification ingress and the reconciler share: asking Midtrans about
// an order once, and publishing an answer — the order's new state and its signed result event in one
// acknowledged write — unless the order's state machine forbids the step.
import { topics, type PaymentCommand } from '@paystream/contracts';
import type { PaymentMethodPlugin, PaymentUpdate } from '@paystream/plugin-sdk';
import type { Publisher } from '../kafka/publisher.ts';
import { mayFollow } from '../state/transitions.ts';
import type { DispatcherDeps } from './dispatcher-deps.ts';
import { guarded, report } from './listeners.ts';
import type { OperationCalls } from './operation-calls.ts';
import { chargeFacts, resultMessage, traceOf, type PublishOptions } from './result-records.ts';
import { produceSpan } from '../tracing/command-span.ts';
import { inquirySpan } from '../tracing/spans.ts';

export type OrderUpdatesDeps = Pick<DispatcherDeps, 'orders' | 'crypto' | 'resultsTopic' | 'onOutcome' | 'onError'>;

/** What the ingress and the reconciler need of OrderUpdates. */
export type OrderUpdatesApi = Pick<OrderUpdates, 'inquire' | 'publish'>;

export class OrderUpdates {
  readonly #d: OrderUpdatesDeps;
  readonly #publisher: Publisher;
  readonly #calls: Pick<OperationCalls, 'once'>;

  constructor(deps: OrderUpdatesDeps, publisher: Publisher, calls: Pick<OperationCalls, 'once'>) {
    this.#d = deps;
    this.#publisher = publisher;
    this.#calls = calls;
  }

  /**
   * One status inquiry (the client's own retries included) for the notification ingress and the
   * reconciler, which must answer or reschedule rather than wait out an outage. Throws MidtransError.
   */
  inquire(plugin: PaymentMethodPlugin, command: PaymentCommand): Promise<PaymentUpdate> {
    return inquirySpan(plugin.method, command.orderId, () => this.#calls.once(plugin, 'status', command));
  }

  /**
   * Records the order's references and status and publishes the result in one acknowledged write —
   * unless the order's state machine forbids it (a late or out-of-order answer after a terminal
   * outcome). Returns whether an event was published.
   */
  async publish(command: PaymentCommand, plugin: PaymentMethodPlugin, update: PaymentUpdate, opts: PublishOptions): Promise<boolean> {
    const orders = this.#d.orders;
    const previous = orders?.get(command.orderId).status;
    const base = {
      method: plugin.method,
      orderId: command.orderId,
      commandId: command.commandId,
      verification: opts.verification,
      ...traceOf(opts),
    };
    if (!mayFollow(previous, update.status)) {
      report(this.#d, { ...base, kind: 'ignored', status: update.status, reason: `${update.status} after ${previous ?? '?'}` });
      return false;
    }
    // The plugin's references go to the order's references only: a reference named `status` or `amount` stays a reference.
    const change = {
      ...chargeFacts(command, update, opts),
      references: update.references,
      status: update.status,
      statusAt: new Date().toISOString(),
    };
    const state = orders?.change(command.orderId, change);
    const topic = this.#d.resultsTopic ?? topics.results;
    // With tracing on, the result names the span that produced it: downstream continues this trace.
    await produceSpan(topic, command.orderId, async (traceparent) => {
      const traced = traceparent === undefined ? opts : { ...opts, traceparent };
      const result = resultMessage(topic, command, plugin, update, traced, this.#d.crypto);
      await this.#publisher.send([...(state?.record ? [state.record] : []), result]);
    });
    // Written: whatever fails from here on must not turn the command into a refusal as well.
    guarded(this.#d, () => {
      if (state) orders?.applied(command.orderId, state.merged);
    });
    const latencyMs = opts.receivedAt !== undefined && Number.isFinite(opts.receivedAt) ? Date.now() - opts.receivedAt : undefined;
    report(this.#d, { ...base, kind: 'result', status: update.status, ...(latencyMs === undefined ? {} : { latencyMs }) });
    return true;
  }
}

/** How the ingress and the reconciler are given the one way orders are inquired about and updated. */
export interface UpdatesOption {
  readonly updates: OrderUpdatesApi;
}
