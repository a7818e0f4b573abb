// Customers who pay as soon as they are asked: each action_required event seen by the collector is
// authorised once, while the rest of the run goes on — as real customers do, order by order.
import { setTimeout as sleep } from 'node:timers/promises';
import type { PaymentEvent } from '@paystream/contracts';
import type { ResultCollector } from './collector.ts';
import type { Customers } from './customers.ts';

export interface PayOptions {
  readonly timeoutMs: number;
  readonly concurrency?: number;
  /** Called just before an order is paid (e.g. to make its notification get lost). */
  readonly beforePay?: (event: PaymentEvent) => Promise<void>;
}

/** An order refused instead of charged will never ask its customer: say so at once, with the reason. */
function refused(results: ResultCollector, waiting: ReadonlySet<string>): void {
  const reasons = [...waiting].flatMap((o) =>
    results
      .forOrder(o)
      .flatMap(({ event }) => (event.type === 'paystream.command.rejected' ? [`${o}: ${event.data.code} (${event.data.message})`] : [])),
  );
  if (reasons.length > 0)
    throw new Error(`${String(reasons.length)} orders were refused instead of charged: ${reasons.slice(0, 5).join('; ')}`);
}

/** Pays every order once its action_required event arrives; resolves when all are paid. */
export async function payWhenAsked(
  results: ResultCollector,
  customers: Customers,
  orderIds: readonly string[],
  { timeoutMs, concurrency = 16, beforePay }: PayOptions,
): Promise<void> {
  const waiting = new Set(orderIds);
  const deadline = Date.now() + timeoutMs;
  while (waiting.size > 0) {
    const asked = [...waiting]
      .map((o) => results.paymentEvent(o, 'paystream.payment.action_required'))
      .filter((e): e is PaymentEvent => e !== undefined);
    for (const e of asked) waiting.delete(e.data.orderId);
    refused(results, waiting);
    if (beforePay) for (const e of asked) await beforePay(e);
    await customers.payAll(asked, concurrency);
    if (waiting.size === 0) return;
    if (Date.now() >= deadline)
      throw new Error(`${String(waiting.size)} orders never asked the customer to act, e.g. ${[...waiting].slice(0, 3).join(', ')}`);
    if (asked.length === 0) await sleep(100);
  }
}
