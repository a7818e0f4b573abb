// The dispatch services assembled from one set of dependencies: the command handler
// (command-handler.ts) over the order's updates (order-updates.ts), the plugin's operation calls
// (operation-calls.ts) and the DLQ (dlq-writer.ts), sharing one publisher and one backoff.
import type { PaymentCommand } from '@paystream/contracts';
import type { Operation, PaymentMethodPlugin, PaymentUpdate } from '@paystream/plugin-sdk';
import type { ConsumedMessage } from '../kafka/key-ordered-consumer.ts';
import { Publisher } from '../kafka/publisher.ts';
import { CommandBindings } from './command-bindings.ts';
import { CommandHandler } from './command-handler.ts';
import type { DispatcherDeps } from './dispatcher-deps.ts';
import { DlqWriter } from './dlq-writer.ts';
import { OperationCalls } from './operation-calls.ts';
import { OrderUpdates } from './order-updates.ts';
import type { PublishOptions } from './result-records.ts';

export { outcomeLabel, REFUSAL_CODES, type Outcome, type RefusalCode } from './outcome.ts';
export type { PublishOptions } from './result-records.ts';
export type { DispatcherDeps } from './dispatcher-deps.ts';

export class Dispatcher {
  /** Where every record of the dispatch services is written. */
  readonly publisher: Publisher;
  /** Inquiries and publishing, shared with the notification ingress and the reconciler. */
  readonly updates: OrderUpdates;
  readonly #calls: OperationCalls;
  readonly #handler: CommandHandler;

  constructor(deps: DispatcherDeps) {
    if (deps.publisher) this.publisher = deps.publisher;
    else if (deps.producer) this.publisher = new Publisher(deps.producer);
    else throw new TypeError('the dispatcher needs a publisher or a producer');
    const backoff = { baseMs: deps.retryBaseMs ?? 200, maxMs: deps.retryMaxMs ?? 30_000 };
    this.#calls = new OperationCalls(deps, backoff);
    this.updates = new OrderUpdates(deps, this.publisher, this.#calls);
    this.#handler = new CommandHandler({
      rules: deps,
      bindings: new CommandBindings(deps.orders, this.publisher),
      calls: this.#calls,
      updates: this.updates,
      dlq: new DlqWriter(deps, this.publisher, backoff),
    });
  }

  /** Resolves once the command's result or DLQ record is acknowledged; never throws. */
  handle(m: ConsumedMessage): Promise<void> {
    return this.#handler.handle(m);
  }

  /** See OrderUpdates.publish. */
  publish(command: PaymentCommand, plugin: PaymentMethodPlugin, update: PaymentUpdate, opts: PublishOptions): Promise<boolean> {
    return this.updates.publish(command, plugin, update, opts);
  }

  /** See OrderUpdates.inquire. */
  inquire(plugin: PaymentMethodPlugin, command: PaymentCommand): Promise<PaymentUpdate> {
    return this.updates.inquire(plugin, command);
  }

  /** See OperationCalls.run. */
  run(plugin: PaymentMethodPlugin, op: Operation, command: PaymentCommand): Promise<PaymentUpdate> {
    return this.#calls.run(plugin, op, command);
  }
}
