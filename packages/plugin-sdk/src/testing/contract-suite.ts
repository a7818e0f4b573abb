// The behavioural suite every payment-method plugin runs (`@paystream/plugin-sdk/testing`): the
// declaration's rules, the customer-authentication factors, the details schema refusing card data
// and 3DS switches, and a charge through a fake Midtrans that checks what the plugin sends.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { answerAsClient, type JsonObject, type MidtransApi, type MidtransOutcome, type SnapCall, type CoreApiCall } from '@paystream/core';
import type { MerchantAccount, PaymentMethodPlugin } from '../contract.ts';
import { OPERATIONS } from '../define.ts';

export interface ContractFixtures {
  /** Details a real command would carry. */
  readonly validDetails: Record<string, unknown>;
  /** The answer Midtrans gives to this method's charge. */
  readonly chargeAnswer: JsonObject;
  /** The merchant account the charge runs as (e.g. with VA partnerServiceIds); a plain MID by default. */
  readonly account?: MerchantAccount;
}

const HTTP_STATUS = Symbol('httpStatus');

interface WithStatus {
  readonly [HTTP_STATUS]: number;
  readonly body: JsonObject;
}

/** An answer of the fake: a body (HTTP 200), or a body with its HTTP status (`answered`). */
export type FakeAnswer = JsonObject | WithStatus;

/** `body` answered with `httpStatus` (a 4xx refusal, a 5xx, a 401) rather than HTTP 200. */
export const answered = (httpStatus: number, body: JsonObject): FakeAnswer => ({ [HTTP_STATUS]: httpStatus, body });

const withStatus = (a: FakeAnswer): a is WithStatus => HTTP_STATUS in a;

/**
 * Records every call and answers each with the given body, read as the real client reads it
 * (answerAsClient): the SNAP responseCode and the Core API status_code reach the plugin, a refusal is
 * a refusal, and an auth failure or a transient answer throws the client's MidtransError.
 */
export function fakeMidtrans(answer: (call: SnapCall | CoreApiCall) => FakeAnswer): MidtransApi & { calls: (SnapCall | CoreApiCall)[] } {
  const calls: (SnapCall | CoreApiCall)[] = [];
  const reply =
    (family: 'snap' | 'core') =>
    (call: SnapCall | CoreApiCall): Promise<MidtransOutcome> => {
      calls.push(call);
      const given = answer(call);
      const [httpStatus, body] = withStatus(given) ? [given[HTTP_STATUS], given.body] : [200, given];
      return new Promise((resolve) => resolve(answerAsClient(family, call.path, httpStatus, body)));
    };
  return { calls, snap: reply('snap'), coreApi: reply('core') };
}

export function runContractSuite(plugin: PaymentMethodPlugin, fixtures: ContractFixtures): void {
  describe(`${plugin.method}: plugin contract`, () => {
    it('names its topic after its method and supports only known operations, status included', () => {
      expect(plugin.topic).toBe(`paystream.commands.${plugin.method}`);
      expect(typeof plugin.operations.status).toBe('function');
      for (const op of Object.keys(plugin.operations)) expect(OPERATIONS).toContain(op);
    });

    it('declares two-factor customer authentication', () => {
      expect(plugin.customerAuthentication.factors.length).toBeGreaterThanOrEqual(2);
      expect(plugin.customerAuthentication.description).not.toBe('');
    });

    it('accepts its fixture details, and refuses card numbers and 3DS switches', () => {
      expect(plugin.details.safeParse(fixtures.validDetails).success).toBe(true);
      for (const hostile of [
        { cardNumber: '4811111111111114' },
        { pan: '4811111111111114' },
        { secure: false },
        { authentication: false },
      ]) {
        expect(plugin.details.safeParse({ ...fixtures.validDetails, ...hostile }).success).toBe(false);
      }
    });

    it('charges with the command-derived X-EXTERNAL-ID or Idempotency-Key and reports what the customer must do', async () => {
      if (!plugin.operations.charge) return;
      const midtrans = fakeMidtrans(() => fixtures.chargeAnswer);
      const ids = { externalId: randomUUID(), idempotencyKey: randomUUID(), refundNo: 'refund-1', inquiryId: randomUUID() };
      const command = {
        commandId: randomUUID(),
        type: 'payment.charge' as const,
        method: plugin.method,
        orderId: 'contract-order-1',
        amount: { value: 150_000, currency: 'IDR' as const },
        details: plugin.details.parse(fixtures.validDetails) as Record<string, unknown>,
        requestedAt: new Date().toISOString(),
      };
      const update = await plugin.operations.charge({
        command,
        midtrans,
        ids,
        references: {},
        account: fixtures.account ?? { merchantId: 'G000000001', vaPartnerServiceIds: {} },
        now: () => new Date(),
      });
      expect(midtrans.calls).toHaveLength(1);
      const call = midtrans.calls[0];
      if (call && 'externalId' in call) expect(call.externalId).toBe(ids.externalId);
      else expect(call && 'idempotencyKey' in call ? call.idempotencyKey : undefined).toBe(ids.idempotencyKey);
      expect(JSON.stringify(call?.body ?? {})).not.toMatch(/"150000"|150000\.0[^0]/);
      expect(['action_required', 'pending', 'pending_review']).toContain(update.status);
    });
  });
}
