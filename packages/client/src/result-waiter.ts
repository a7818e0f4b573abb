// Waiting for a command's result: one consumer of the results topic per client, in a group of its
// own that commits nothing, started before the first command that waits is published so that its
// result cannot pass unseen. Events are verified like any downstream service verifies them.
import { randomUUID } from 'node:crypto';
import type { PaymentCommand, PaymentEvent, ResultEvent } from '@paystream/contracts';
import type { Consumer, Kafka } from 'kafkajs';
import { codes, PaystreamClientError } from './errors.ts';
import { verifyEvent, type TrustedKey } from './events.ts';

export type Wait = 'action_required' | 'final';

const FINAL = new Set(['succeeded', 'failed', 'expired', 'canceled', 'refunded']);

interface Pending {
  readonly command: PaymentCommand;
  readonly wait: Wait;
  resolve(event: PaymentEvent): void;
  reject(error: Error): void;
}

/** Whether the event answers the waiting command: its own result, or for `final` any final status of the order. */
function answers(p: Pending, event: ResultEvent): boolean {
  if (event.type === 'paystream.command.rejected') return event.data.commandId === p.command.commandId;
  if (event.data.orderId !== p.command.orderId) return false;
  return p.wait === 'final' ? FINAL.has(event.data.status) : event.data.commandId === p.command.commandId;
}

export class ResultWaiter {
  readonly #pending = new Set<Pending>();
  readonly #consumer: Consumer;

  private constructor(consumer: Consumer) {
    this.#consumer = consumer;
  }

  static async start(kafka: Kafka, topic: string, trusted: readonly TrustedKey[], groupPrefix: string): Promise<ResultWaiter> {
    const consumer = kafka.consumer({ groupId: `${groupPrefix}${randomUUID()}`, maxWaitTimeInMs: 500, allowAutoTopicCreation: false });
    const waiter = new ResultWaiter(consumer);
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: false });
    // Ready once a fetch has completed: the group's starting offsets are known from then on.
    const fetched = new Promise<void>((resolve, reject) => {
      consumer.on(consumer.events.FETCH, () => resolve());
      consumer.on(consumer.events.CRASH, (e) => reject(e.payload.error));
    });
    await consumer.run({
      autoCommit: false,
      eachMessage: ({ message }) => {
        const verdict = verifyEvent(message.value ?? '', trusted);
        if (verdict.valid && verdict.known) waiter.#deliver(verdict.event);
        return Promise.resolve();
      },
    });
    await fetched;
    return waiter;
  }

  #deliver(event: ResultEvent): void {
    for (const p of this.#pending) {
      if (!answers(p, event)) continue;
      this.#pending.delete(p);
      if (event.type !== 'paystream.command.rejected') p.resolve(event);
      else {
        const { orderId, type } = p.command;
        p.reject(
          new PaystreamClientError(codes.PS_ERR_CLIENT_COMMAND_REJECTED, {
            type,
            orderId,
            code: event.data.code,
            reason: event.data.message,
          }),
        );
      }
    }
  }

  /** Registers the wait before the command is published; the promise settles with its result or the timeout. */
  expect(command: PaymentCommand, wait: Wait, timeoutMs: number): { readonly result: Promise<PaymentEvent>; cancel(): void } {
    let pending: Pending | undefined;
    let timer: NodeJS.Timeout | undefined;
    const result = new Promise<PaymentEvent>((resolve, reject) => {
      const settle = (): void => clearTimeout(timer);
      pending = {
        command,
        wait,
        resolve: (e) => {
          settle();
          resolve(e);
        },
        reject: (e) => {
          settle();
          reject(e);
        },
      };
      this.#pending.add(pending);
      timer = setTimeout(() => {
        if (pending) this.#pending.delete(pending);
        reject(new PaystreamClientError(codes.PS_ERR_CLIENT_RESULT_TIMEOUT, { wait, orderId: command.orderId, timeoutMs }));
      }, timeoutMs);
    });
    return {
      result,
      cancel: () => {
        clearTimeout(timer);
        if (pending) this.#pending.delete(pending);
      },
    };
  }

  async stop(): Promise<void> {
    for (const p of this.#pending) p.reject(new PaystreamClientError(codes.PS_ERR_CLIENT_CLOSED, {}));
    this.#pending.clear();
    await this.#consumer.disconnect();
  }
}
