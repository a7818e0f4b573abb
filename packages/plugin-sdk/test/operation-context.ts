// What the SDK's operation specs hand a handler: a command with fixed identifiers, and a Midtrans that
// answers from a script and records every call, so a spec can state the exact bytes a plugin sends.
import type { CoreApiCall, JsonObject, MidtransApi, MidtransOutcome, SnapCall } from '@paystream/core';
import type { CommandType } from '@paystream/contracts';
import type { KnownReferences, OperationContext } from '../src/contract.ts';
import type { MidtransRefusal } from '../src/updates.ts';

export const IDS = {
  externalId: '0b6c39a4-5d2e-4f0a-9a51-3c1f2d9e8b70',
  idempotencyKey: 'idem-1',
  refundNo: 'refund-1',
  inquiryId: '7d0e9f5c-2b41-4c8e-b6a3-5e9f1a2c3d40',
} as const;

export function accepted(body: JsonObject, raw = '2005400'): MidtransOutcome {
  return { ok: true, httpStatus: 200, responseCode: { raw, http: 200, service: raw.slice(3, 5), case: raw.slice(5) }, body };
}

export function refused(kind: MidtransRefusal['kind'], message: string, raw = '4045401', body: JsonObject = {}): MidtransRefusal {
  return {
    ok: false,
    kind,
    httpStatus: Number(raw.slice(0, 3)),
    responseCode: { raw, http: Number(raw.slice(0, 3)), service: raw.slice(3, 5), case: raw.slice(5) },
    message,
    body,
  };
}

/** Answers the calls in order with the given outcomes (the last one repeats) and records them. */
export function scripted(...answers: readonly MidtransOutcome[]): MidtransApi & { readonly calls: (SnapCall | CoreApiCall)[] } {
  const calls: (SnapCall | CoreApiCall)[] = [];
  const reply = (call: SnapCall | CoreApiCall): Promise<MidtransOutcome> => {
    const answer = answers[Math.min(calls.length, answers.length - 1)];
    calls.push(call);
    if (!answer) throw new Error('the script has no answer');
    return Promise.resolve(answer);
  };
  return { calls, snap: reply, coreApi: reply };
}

export interface ContextOptions {
  readonly type?: CommandType;
  readonly references?: KnownReferences;
  readonly merchant?: string;
  readonly merchantId?: string;
}

/** A command for order-1 of 150 000 rupiah, requested at 10:00 Jakarta time on 24 November 2026. */
export function contextFor<Details>(details: Details, midtrans: MidtransApi, options: ContextOptions = {}): OperationContext<Details> {
  return {
    command: {
      commandId: '2f4a6c8e-0b1d-4e3f-8a5c-7e9b1d3f5a70',
      type: options.type ?? 'payment.charge',
      method: 'ovo',
      orderId: 'order-1',
      ...(options.merchant ? { merchant: options.merchant } : {}),
      amount: { value: 150_000, currency: 'IDR' },
      details: details as Record<string, unknown> & Details,
      requestedAt: '2026-11-24T10:00:00+07:00',
    },
    midtrans,
    ids: IDS,
    references: options.references ?? {},
    account: { ...(options.merchantId ? { merchantId: options.merchantId } : {}), vaPartnerServiceIds: {} },
    // A clock that would change every byte it touched: no operation may read it for a request.
    now: () => new Date(Date.now() + Math.floor(Math.random() * 1e9)),
  };
}
