// Result events: built from a plugin's update, customer contact fields encrypted, signed with the
// worker's Ed25519 key over the canonical form the contracts package verifies.
import { canonicalEventBytes, eventId, type PaymentCommand, type ResultEvent } from '@paystream/contracts';
import type { ErrorCode, EventSigner, FieldCipher } from '@paystream/core';
import type { PaymentMethodPlugin, PaymentUpdate } from '@paystream/plugin-sdk';

export type Verification = 'response' | 'notification+inquiry' | 'inquiry';

export interface EventCrypto {
  readonly signer: EventSigner;
  readonly cipher: FieldCipher;
  readonly source: string;
}

export function sign(event: Record<string, unknown>, crypto: EventCrypto): ResultEvent {
  const withKid = { ...event, paystreamkid: crypto.signer.keyId };
  const { signature, keyId } = crypto.signer.sign(canonicalEventBytes(withKid));
  return { ...withKid, paystreamkid: keyId, paystreamsig: signature } as ResultEvent;
}

function envelope(
  type: string,
  subject: string,
  idParts: string[],
  crypto: EventCrypto,
  traceparent: string | undefined,
): Record<string, unknown> {
  return {
    specversion: '1.0',
    id: eventId(...idParts),
    source: crypto.source,
    type,
    subject,
    time: new Date().toISOString(),
    datacontenttype: 'application/json',
    ...(traceparent ? { traceparent } : {}),
  };
}

export function paymentEvent(
  command: PaymentCommand,
  plugin: PaymentMethodPlugin,
  update: PaymentUpdate,
  verification: Verification,
  crypto: EventCrypto,
  traceparent?: string,
): ResultEvent {
  const type = `paystream.payment.${update.status}`;
  const customer = command.customer
    ? Object.fromEntries(Object.entries(command.customer).map(([k, v]) => [k, crypto.cipher.encrypt(`customer.${k}`, v)]))
    : undefined;
  const data = {
    orderId: command.orderId,
    commandId: command.commandId,
    method: command.method,
    ...(command.merchant ? { merchant: command.merchant } : {}),
    amount: command.amount,
    status: update.status,
    midtrans: { ...update.references, ...(update.responseCode ? { responseCode: update.responseCode } : {}) },
    verification,
    customerAuthentication: { description: plugin.customerAuthentication.description, factors: [...plugin.customerAuthentication.factors] },
    ...(update.action ? { action: update.action } : {}),
    ...(update.reason ? { reason: update.reason } : {}),
    ...(customer ? { customer } : {}),
  };
  // An outcome is a fact about the order: however many commands or notifications report it, its
  // event has one id. What the customer must do next belongs to the command that asked for it.
  const idParts = update.status === 'action_required' || update.status === 'pending' ? [command.commandId, type] : [command.orderId, type];
  return sign({ ...envelope(type, command.orderId, idParts, crypto, traceparent), data }, crypto);
}

export interface Rejection {
  readonly code: ErrorCode;
  readonly message: string;
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly orderId?: string;
  readonly commandId?: string;
  readonly method?: string;
}

export function rejectedEvent(r: Rejection, crypto: EventCrypto, traceparent?: string): ResultEvent {
  const type = 'paystream.command.rejected';
  const data = { ...r };
  return sign(
    {
      ...envelope(
        type,
        r.orderId ?? `${r.topic}/${String(r.partition)}/${r.offset}`,
        [r.topic, String(r.partition), r.offset, type],
        crypto,
        traceparent,
      ),
      data,
    },
    crypto,
  );
}
