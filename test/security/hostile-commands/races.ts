// A commandId reused by two commands written back to back, before either is handled: under other
// keys the two run at once, so only a binding of the id made before Midtrans is called keeps the
// second from replaying the first's answer. Exactly one of each pair may be charged; the other is
// refused with PS_ERR_COMMAND_DUPLICATE_ID.
import type { PaymentCommand } from '@paystream/contracts';
import { charge } from './cases.ts';
import type { OrderIds } from './partition.ts';
import type { HostileRun } from './run.ts';
import type { DlqEntry } from './verdicts.ts';

export interface RacingPair {
  readonly name: string;
  readonly first: PaymentCommand;
  readonly second: PaymentCommand;
}

/** Pairs across two orders (two keys, run at once) and within one order (one key, run in turn). */
export function racingPairs(ids: OrderIds, count: number): RacingPair[] {
  return Array.from({ length: count }, (_, i) => {
    const first = charge(ids.next());
    const second =
      i % 2 === 0
        ? { ...charge(ids.next()), commandId: first.commandId }
        : { ...first, amount: { value: first.amount.value + 1, currency: 'IDR' as const } };
    return { name: i % 2 === 0 ? 'another order' : 'the same order, another amount', first, second };
  });
}

/** What is wrong with how a pair ended: charges and DUPLICATE_ID refusals other than one each. */
export function raceProblems(run: HostileRun, pairs: readonly RacingPair[], dlq: readonly DlqEntry[]): string[] {
  const refusals = new Map<string, string[]>();
  for (const e of dlq) {
    const key = e.tapped.key?.toString('utf8') ?? '';
    refusals.set(key, [...(refusals.get(key) ?? []), e.code ?? '(none)']);
  }
  const charges = (orderId: string): number =>
    run.system.results.forOrder(orderId).filter((c) => c.event.type === 'paystream.payment.action_required').length;
  return pairs.flatMap(({ name, first, second }) => {
    const orders = [...new Set([first.orderId, second.orderId])];
    const charged = orders.reduce((n, o) => n + charges(o), 0);
    const codes = orders.flatMap((o) => refusals.get(o) ?? []);
    return charged === 1 && codes.length === 1 && codes[0] === 'PS_ERR_COMMAND_DUPLICATE_ID'
      ? []
      : [`${name} (${orders.join(', ')}): ${String(charged)} charged, refused ${codes.join(', ') || 'never'}`];
  });
}
