// The fixture answers a generated plugin starts with: per chosen operation, Midtrans' answer bodies
// (with their HTTP status) for a success, a pending payment and a refusal, in the documented shape of
// the API family and carrying the chosen action's fields. Its spec reads them through `fakeMidtrans`
// and `answered`; recorded answers replace them (README checklist: fixtures).
import type { JsonObject } from '@paystream/core';
import type { KindTemplate } from './kinds.ts';
import type { GeneratedOperation } from './options.ts';

export interface Recorded {
  readonly httpStatus: number;
  readonly body: JsonObject;
}

/** `charge`: pending (the customer must act) and refused; the others: success, pending where there is one, refused. */
export type OperationAnswers = Readonly<Record<string, Recorded>>;

export const ORDER_ID = 'order-1';
export const AMOUNT = '150000.00';
/** Midtrans' id of the sample transaction: the Core API transaction_id, the BI-SNAP referenceNo. */
export const CORE_TRANSACTION = '0f2d4b6a-8c1e-4a3f-9b5d-7e1c3a5f7b90';
export const SNAP_REFERENCE = 'A120261124';

const ok = (body: JsonObject): Recorded => ({ httpStatus: 200, body });

function coreAnswers(paymentType: string, kind: KindTemplate): Record<GeneratedOperation, OperationAnswers> {
  const transaction = {
    transaction_id: CORE_TRANSACTION,
    order_id: ORDER_ID,
    merchant_id: 'G000000001',
    gross_amount: AMOUNT,
    currency: 'IDR',
    payment_type: paymentType,
    transaction_time: '2026-11-24 10:00:00',
    fraud_status: 'accept',
  };
  const status = (code: string, message: string, transactionStatus: string): Recorded =>
    ok({ status_code: code, status_message: message, ...transaction, transaction_status: transactionStatus });
  const notAllowed: Recorded = {
    httpStatus: 412,
    body: { status_code: '412', status_message: 'Merchant cannot modify the status of the transaction' },
  };
  return {
    charge: {
      pending: ok({
        ...status('201', 'Success, transaction is created', 'pending').body,
        ...kind.coreFields(`https://simulator.sandbox.midtrans.com/pay/${CORE_TRANSACTION}`),
      }),
      refused: {
        httpStatus: 400,
        body: {
          status_code: '400',
          status_message: 'One or more parameters in the payload is invalid.',
          validation_messages: ['transaction_details.gross_amount is not equal to the sum of item_details'],
        },
      },
    },
    status: {
      success: status('200', 'Success, transaction is found', 'settlement'),
      pending: status('201', 'Success, transaction is found', 'pending'),
      refused: { httpStatus: 404, body: { status_code: '404', status_message: "Transaction doesn't exist." } },
    },
    cancel: { success: status('200', 'Success, transaction is canceled', 'cancel'), refused: notAllowed },
    refund: {
      success: ok({ ...status('200', 'Success, refund request is approved', 'refund').body, refund_amount: AMOUNT }),
      refused: notAllowed,
    },
  };
}

function snapAnswers(kind: KindTemplate, statusServiceCode: string): Record<GeneratedOperation, OperationAnswers> {
  const original = { originalReferenceNo: SNAP_REFERENCE, originalPartnerReferenceNo: ORDER_ID };
  const status = (code: string): Recorded =>
    ok({
      responseCode: '2005500',
      responseMessage: 'Successful',
      ...original,
      serviceCode: statusServiceCode,
      latestTransactionStatus: code,
      transAmount: { value: AMOUNT, currency: 'IDR' },
    });
  const notFound = (service: string): Recorded => ({
    httpStatus: 404,
    body: { responseCode: `404${service}01`, responseMessage: 'Transaction Not Found' },
  });
  return {
    charge: {
      pending: ok({
        responseCode: '2005400',
        responseMessage: 'Successful',
        referenceNo: SNAP_REFERENCE,
        partnerReferenceNo: ORDER_ID,
        ...kind.snapFields(`https://simulator.sandbox.midtrans.com/pay/${SNAP_REFERENCE}`),
      }),
      refused: { httpStatus: 403, body: { responseCode: '4035402', responseMessage: 'Exceeds Transaction Amount Limit' } },
    },
    status: { success: status('00'), pending: status('03'), refused: notFound('55') },
    cancel: { success: ok({ responseCode: '2005700', responseMessage: 'Successful', ...original }), refused: notFound('57') },
    refund: {
      success: ok({
        responseCode: '2005800',
        responseMessage: 'Successful',
        ...original,
        refundNo: 'R120261124',
        partnerRefundNo: 'refund-1',
        refundAmount: { value: AMOUNT, currency: 'IDR' },
      }),
      refused: notFound('58'),
    },
  };
}

/** The fixture file of each chosen operation (`src/__fixtures__/<operation>.json`), as JSON text. */
export function fixtureFiles(
  api: 'snap' | 'core',
  ops: readonly GeneratedOperation[],
  kind: KindTemplate,
  facts: { readonly paymentType: string; readonly statusServiceCode: string },
): Record<string, string> {
  const answers = api === 'snap' ? snapAnswers(kind, facts.statusServiceCode) : coreAnswers(facts.paymentType, kind);
  return Object.fromEntries(ops.map((op) => [`src/__fixtures__/${op}.json`, `${JSON.stringify(answers[op], null, 2)}\n`]));
}
