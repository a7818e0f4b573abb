// The contract between the runtime and a payment-method plugin. A plugin is data plus pure-ish
// handlers: it receives a keyless Midtrans façade and returns normalised updates; the runtime owns
// Kafka, retries, the state machine, signing and publishing.
import type { z } from 'zod';
import type { MidtransApi } from '@paystream/core';
import type { CommandType, CustomerAction, PaymentCommand, PaymentStatus } from '@paystream/contracts';

export type { PaymentStatus } from '@paystream/contracts';
// What the customer must do next (only on `action_required`) is the contracts' own schema and type, so
// an action a plugin may return is exactly one the result event may carry.
export { CustomerAction, type InstructionsAction, type PaymentCodeAction, type StandardAction } from '@paystream/contracts';

/** The operation a command type asks a plugin for: `payment.refund` → `refund`. */
export type OperationOf<Type extends CommandType> = Type extends `payment.${infer Name}` ? Name : never;

/** Every operation a plugin may declare, one per command type of the contracts. */
export type Operation = OperationOf<CommandType>;

/** End-customer authentication as the BI-SNAP specification tabulates it per payment method. */
export interface CustomerAuthentication {
  /** e.g. "Customer authenticates within the GoPay/Gojek app" */
  readonly description: string;
  /** e.g. ["PIN", "device possession"] */
  readonly factors: readonly string[];
}

/** Identifiers derived deterministically from the command, so a retry never creates a new charge. */
export interface DerivedIds {
  /** X-EXTERNAL-ID: a UUID (v5-style) derived from commandId. Also the QRIS partnerReferenceNo / VA trxId. */
  readonly externalId: string;
  /** Core API Idempotency-Key. */
  readonly idempotencyKey: string;
  /** partnerRefundNo for refunds. */
  readonly refundNo: string;
  /** X-EXTERNAL-ID for a status inquiry (read-only, so a fresh one per inquiry is harmless). */
  readonly inquiryId: string;
}

/**
 * The Midtrans references of an order known so far (from earlier results), for status, cancel and
 * refund: `referenceNo`, `externalId`, `partnerReferenceNo`, `transactionId`, `vaNumber`, …
 */
export type KnownReferences = Readonly<Record<string, string>>;

/** The non-secret facts of a Midtrans merchant account that request bodies need. */
export interface MerchantAccount {
  /** The Midtrans merchant id (MID), e.g. `G123456789`, for APIs that require it in the body. */
  readonly merchantId?: string;
  /** BI-SNAP virtual accounts: the partnerServiceId (bank prefix, ≤ 8 digits) per bank, e.g. `{ bca: '70012' }`. */
  readonly vaPartnerServiceIds: Readonly<Partial<Record<string, string>>>;
}

export interface OperationContext<Details> {
  readonly command: PaymentCommand & { readonly details: Details };
  readonly midtrans: MidtransApi;
  readonly ids: DerivedIds;
  readonly references: KnownReferences;
  /** Public facts of the command's Midtrans merchant account, from configuration. */
  readonly account: MerchantAccount;
  readonly now: () => Date;
}

/** A plugin's answer to one operation. The runtime turns it into one result event. */
export interface PaymentUpdate {
  readonly status: PaymentStatus;
  readonly references: KnownReferences;
  /** BI-SNAP 7-digit responseCode or Core API status_code of the deciding answer. */
  readonly responseCode?: string;
  readonly action?: CustomerAction;
  /** Human-readable reason for failed / expired / canceled. */
  readonly reason?: string;
  /** Amount Midtrans reports for the order, integer rupiah (cross-checked against the command). */
  readonly amount?: number;
  /** The currency of that amount as Midtrans reports it (cross-checked too). */
  readonly currency?: string;
}

/** Which inbound notifications belong to this method, and how to find their order. */
export interface NotificationBinding {
  /** BI-SNAP notify paths relative to the ingress base, e.g. "/v1.0/debit/notify". */
  readonly snapPaths?: readonly string[];
  /** Core API HTTP notification `payment_type` values this method owns, e.g. ["credit_card"]. */
  readonly corePaymentTypes?: readonly string[];
  /** Extract the merchant order id from a verified notification body; undefined if it has none. */
  readonly orderIdOf: (body: unknown) => string | undefined;
}

export type OperationHandler<Details> = (ctx: OperationContext<Details>) => Promise<PaymentUpdate>;

export interface PaymentMethodPlugin<Details = unknown> {
  /** kebab-case id, equal to the plugin folder name, e.g. "gopay". */
  readonly method: string;
  /** Kafka topic of its commands: `paystream.commands.<method>`. */
  readonly topic: string;
  /** Which Midtrans API family it uses (selects breaker and credentials family). */
  readonly api: 'snap' | 'core';
  readonly details: z.ZodType<Details>;
  readonly customerAuthentication: CustomerAuthentication;
  /** `status` is mandatory: the reconciler and the notification ingress rely on it. */
  readonly operations: Partial<Record<Operation, OperationHandler<Details>>> & { readonly status: OperationHandler<Details> };
  readonly notifications: NotificationBinding;
  /** How long after a charge the order may stay pending before it is expected to have expired. */
  readonly pendingTimeoutMs: number;
}
