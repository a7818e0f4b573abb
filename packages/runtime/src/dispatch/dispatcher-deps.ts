// What the dispatcher is built from: the plugins, Midtrans, where records go, the order state and
// the listeners that turn its outcomes into logs and metrics.
import type { PaymentCommand } from '@paystream/contracts';
import type { MidtransApi, MidtransError } from '@paystream/core';
import type { MerchantAccount, PaymentMethodPlugin } from '@paystream/plugin-sdk';
import type { Producer } from 'kafkajs';
import type { Publisher } from '../kafka/publisher.ts';
import type { OrderBook } from './command-bindings.ts';
import type { CommandAuth } from './command-auth.ts';
import type { EventCrypto } from './events.ts';
import type { Outcome } from './outcome.ts';

export interface DispatcherDeps {
  readonly plugins: ReadonlyMap<string, PaymentMethodPlugin>;
  readonly midtrans: MidtransApi;
  /** Where records are written; one is made around `producer` when absent. */
  readonly publisher?: Publisher;
  readonly producer?: Producer;
  readonly crypto: EventCrypto;
  /** Backoff bounds while Midtrans is unavailable (ms). */
  readonly retryBaseMs?: number;
  readonly retryMaxMs?: number;
  readonly onOutcome?: (outcome: Outcome) => void;
  /** Every failure of the machinery towards Midtrans (breaker open, refused credentials, outages). */
  readonly onMidtransError?: (err: MidtransError, plugin: PaymentMethodPlugin, command: PaymentCommand) => void;
  /** A failure of the dispatcher's own writing (it is retried), or of a listener. */
  readonly onError?: (err: unknown) => void;
  /** Topic names; the defaults are the contract's (`paystream.results`, `<command topic>.dlq`). */
  readonly resultsTopic?: string;
  readonly commandTopic?: (plugin: PaymentMethodPlugin) => string;
  /** Where each order's Midtrans references and bound commandIds are kept between commands. */
  readonly orders?: OrderBook;
  /** Whether a merchant (credential set) is configured, asked before any plugin runs; all are when absent. */
  readonly merchantKnown?: (merchant: string | undefined) => boolean;
  /** The public facts (MID, VA partnerServiceIds) of a credential set, for request bodies. */
  readonly accountOf?: (merchant: string | undefined) => MerchantAccount;
  /** Which upstream signed each command and what it may send (core's CommandKeyRing); absent: no key is known, unsigned commands pass. */
  readonly commandAuth?: CommandAuth;
}
