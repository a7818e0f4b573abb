// What a payment method is in the whole-system suite (plugins.spec.ts), as types a plugin's own
// fixture (plugins/<name>/test/whole-system.ts) imports: what differs between methods, and the part
// of the running system a fixture may use. It names nothing of the suite's harness, so a plugin's
// typecheck reads only this, the contracts and the simulator's types.
import type { PaymentEvent } from '@paystream/contracts';
import type { LedgerEntry, Simulator, Tx } from '@paystream/midtrans-sim';

/** What a fixture may use of the running system: the simulator, HTTPS to it, its admin API, card tokens. */
export interface FixtureHarness {
  readonly sim: Simulator;
  readonly http: {
    send(url: string, init?: { method?: string; body?: string; contentType?: string }): Promise<{ status: number; text: string }>;
  };
  readonly customers: { cardToken(card?: string): Promise<string> };
  /** The simulator's admin API (`/_sim/…`) over HTTPS, as a test drives Midtrans' sandbox. */
  admin(path: string, body: Record<string, unknown>): Promise<{ status: number; body: Record<string, unknown> }>;
}

export interface FixtureWorld {
  readonly h: FixtureHarness;
  /** The customer's browser on a 3-D Secure page: types the OTP and returns what the issuer's page said. */
  readonly threeDs: { complete(url: string, otp: string): Promise<string> };
}

export type Action = NonNullable<PaymentEvent['data']['action']>;
type Ledger = readonly LedgerEntry['event'][];

export interface Failure {
  readonly name: string;
  readonly amount?: number;
  /** Command details of the failing charge; the fixture's own when absent. */
  readonly details?: (w: FixtureWorld) => Promise<Record<string, unknown>>;
  /** What the customer does once asked to act; when absent, Midtrans refuses the charge itself. */
  readonly customer?: (w: FixtureWorld, action: PaymentEvent) => Promise<void>;
  /** The BI-SNAP responseCode of a refused charge. */
  readonly responseCode?: string;
  /** The simulator ledger of the order afterwards. */
  readonly ledger: Ledger;
}

export interface Fixture {
  readonly method: string;
  readonly action: Action['kind'];
  /** Details of a charge the customer can complete. */
  readonly details: (w: FixtureWorld) => Promise<Record<string, unknown>>;
  /** The simulator's transaction for an order, from the references its charge published. */
  readonly transaction: (sim: Simulator, charge: PaymentEvent) => Tx | undefined;
  /** The customer does what the action asks and the payment goes through. */
  readonly complete: (w: FixtureWorld, charge: PaymentEvent) => Promise<void>;
  /** Details that give the customer less time, and how many minutes, where the command decides expiry. */
  readonly validity?: { readonly details: Record<string, unknown>; readonly minutes: number };
  readonly failures: readonly Failure[];
  readonly refunds: boolean;
  /** False for a method without the cancel operation: a cancel is then refused as unsupported (true when absent). */
  readonly cancels?: boolean;
  /** Cards only: the fraud system may hold a payment for review. */
  readonly fraudReview: boolean;
}
