// Collaborators of the notification ingress, faked: a verifier that trusts one signature, one known
// order (and one retired), and order updates whose inquiries are counted and can be made to fail or wait.
import { codes, MidtransError, snapTimestamp, type NotificationVerifier } from '@paystream/core';
import type { PaymentMethodPlugin } from '@paystream/plugin-sdk';
import type { OrderUpdatesApi } from '../src/dispatch/order-updates.ts';
import { startIngress, type Ingress, type IngressOptions } from '../src/ingress/notification-ingress.ts';
import type { IngressEvent } from '../src/ingress/outcomes.ts';
import type { OrderReferences } from '../src/state/order-references.ts';

export const SNAP = '/v1.0/debit/notify';
export const GOOD_SIGNATURE = 'trusted-signature';
/** An order that left the state after its retention. */
export const RETIRED_ORDER = 'o-retired';

export interface FakeIngress {
  readonly ingress: Ingress;
  readonly events: IngressEvent[];
  /** Raw bodies the verifier was given, in order. */
  readonly verified: Buffer[];
  inquiries: number;
  /** What the next inquiries do: answer, fail (a Midtrans error) or wait for `release`. */
  mode: 'answer' | 'fail' | 'wait';
  release: () => void;
}

export async function fakeIngress(extra: Partial<IngressOptions> = {}): Promise<FakeIngress> {
  const events: IngressEvent[] = [];
  const verified: Buffer[] = [];
  let gate: Promise<void> = Promise.resolve();
  let open = (): void => undefined;
  const verifier = {
    verifySnap: (n: { signature?: string; rawBody: Uint8Array }) => {
      verified.push(Buffer.from(n.rawBody));
      return n.signature === GOOD_SIGNATURE
        ? { valid: true, keyId: 'k' }
        : { valid: false, reason: 'the signature matches no trusted Midtrans public key' };
    },
    verifyCore: () => ({ valid: false, reason: 'signature_key does not match' }),
  } as unknown as NotificationVerifier;
  const orders = {
    orderOf: (ref: string) => (ref === 'o-1' ? 'o-1' : undefined),
    get: () => ({ v: 2, method: 'gopay', chargeCommandId: 'c-1', amount: 1000, currency: 'IDR', references: {}, commands: {} }),
    retired: { at: (id: string) => (id === RETIRED_ORDER ? new Date(0) : undefined) },
  } as unknown as OrderReferences;
  const plugin = {
    method: 'gopay',
    notifications: { snapPaths: [SNAP] },
    details: { safeParse: () => ({ success: false }) },
  } as unknown as PaymentMethodPlugin;
  const state: FakeIngress = {
    events,
    verified,
    inquiries: 0,
    mode: 'answer',
    release: () => open(),
    ingress: undefined as unknown as Ingress,
  };
  const updates: OrderUpdatesApi = {
    inquire: async () => {
      state.inquiries++;
      const mode = state.mode;
      if (mode === 'wait') await gate;
      if (mode === 'fail')
        throw new MidtransError('retriable', codes.PS_ERR_MIDTRANS_UNAVAILABLE, {
          path: '/v1.0/debit/status',
          attempts: 3,
          last: 'ECONNREFUSED',
        });
      return { status: 'succeeded', amount: 1000, currency: 'IDR', references: {} };
    },
    publish: () => Promise.resolve(true),
  };
  gate = new Promise((r) => (open = r));
  (state as { ingress: Ingress }).ingress = await startIngress({
    plugins: new Map([['gopay', plugin]]),
    verifier,
    orders,
    updates,
    onEvent: (e) => events.push(e),
    ...extra,
  });
  return state;
}

/** A notification as Midtrans sends it, signed (for the fake verifier) unless told otherwise. */
export function notification(
  body: string,
  opts: { at?: Date; signature?: string; externalId?: string } = {},
): { body: string; headers: Record<string, string> } {
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'x-timestamp': snapTimestamp(opts.at ?? new Date()),
      'x-signature': opts.signature ?? GOOD_SIGNATURE,
      ...(opts.externalId ? { 'x-external-id': opts.externalId } : {}),
    },
  };
}

export async function post(url: string, n: { body: string; headers: Record<string, string> }, path = SNAP): Promise<number> {
  const res = await fetch(`${url}${path}`, { method: 'POST', headers: n.headers, body: n.body });
  await res.arrayBuffer();
  return res.status;
}
