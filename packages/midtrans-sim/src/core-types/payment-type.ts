// What a Core API payment type declares: the request it needs, the charge answer it gives, how the
// customer completes it, how long it stays pending and what the customer can do meanwhile. One row
// per type lives beside this file; core-types/index.ts lists them.
import type { CoreAnswer, Body } from '../core-wire.ts';
import type { Tx } from '../store.ts';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

/**
 * How the customer completes a pending charge: on the simulator's pay page (e-wallet, QRIS), on the
 * card's 3DS page, by transferring to a virtual account, by paying a code at a store counter, or by
 * approving on the provider's site the charge redirects to.
 */
export type Completion = 'pay-page' | 'three-ds' | 'va-transfer' | 'counter' | 'provider-redirect';

/** What the customer can do to a pending charge (letting it expire is always possible). */
export type CustomerOutcome = 'pay' | 'decline';

/** A card token from `GET /v2/token`. */
export interface CardToken {
  readonly card: string;
  readonly expiresAt: number;
}

/** What the simulator gives a row while it opens a charge. */
export interface ChargeEnv {
  /** Where the customer completes it: the 3DS page for `three-ds`, the pay page otherwise. */
  readonly customerUrl: string;
  /** The card tokens issued so far. */
  readonly cardTokens: ReadonlyMap<string, CardToken>;
}

export interface CorePaymentType {
  /** Midtrans' `payment_type`, e.g. `gopay`. */
  readonly paymentType: string;
  /**
   * Request fields the charge must carry, as dotted paths (`cstore`, `cstore.store`); a missing one
   * is refused with 400 and `<path> is required`, as Midtrans does.
   */
  readonly requires: readonly string[];
  /** A further check of the request once its required fields are there: Midtrans' validation message, or undefined. */
  readonly check?: (body: Body) => string | undefined;
  /** The `status_message` of a created charge; `Success, transaction is created` when absent. */
  readonly chargeMessage?: string;
  readonly completion: Completion;
  /** How long a charge stays pending before Midtrans expires it. */
  readonly expiryMs: number;
  readonly outcomes: readonly CustomerOutcome[];
  /**
   * Sets up the new transaction from the request (its VA number, payment code or card, kept in
   * `tx.extra`), or answers the refusal. `tx.extra.statusFields` is repeated in every status
   * answer and notification of the transaction.
   */
  readonly open?: (tx: Tx, body: Body, env: ChargeEnv) => CoreAnswer | undefined;
  /** The charge answer's own fields, after the transaction status. */
  readonly answer: (tx: Tx, env: ChargeEnv) => Body;
  /** What else the customer quotes to pay it (its VA number, its payment code), besides the order and transaction ids. */
  readonly references?: (tx: Tx) => readonly string[];
}

/** The charge answer of the types completed on the pay page: a deeplink to it. */
export function deeplink(env: ChargeEnv): Body {
  return { actions: [{ name: 'deeplink-redirect', method: 'GET', url: env.customerUrl }] };
}
