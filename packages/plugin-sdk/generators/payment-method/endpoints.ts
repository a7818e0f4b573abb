// The Midtrans calls a generated plugin starts with: one source for the code that makes them and for
// the README and method page that describe them. BI-SNAP starts from the SDK's direct-debit family
// (Midtrans reference §5.1–§5.2), the Core API from /v2/charge and /v2/{order_id}/….
import { DIRECT_DEBIT_ENDPOINTS, DIRECT_DEBIT_NOTIFY_PATH } from '../../src/families/direct-debit.ts';
import type { GeneratedOperation } from './options.ts';

/** BI-SNAP paths rendered into the plugin's `endpoints` constant: the family's own. */
export const SNAP_PATHS = {
  charge: DIRECT_DEBIT_ENDPOINTS.charge,
  status: DIRECT_DEBIT_ENDPOINTS.status,
  cancel: DIRECT_DEBIT_ENDPOINTS.cancel,
  refund: DIRECT_DEBIT_ENDPOINTS.refund,
  notify: DIRECT_DEBIT_NOTIFY_PATH,
} as const;

/** The direct-debit inquiry's service code. */
export const SNAP_STATUS_SERVICE_CODE = DIRECT_DEBIT_ENDPOINTS.statusServiceCode;

export interface EndpointRow {
  readonly operation: string;
  readonly call: string;
  readonly identifiers: string;
}

function snapRows(payMethod: string): Record<GeneratedOperation | 'notification', EndpointRow> {
  return {
    charge: {
      operation: '`charge`',
      call: `\`${SNAP_PATHS.charge}\``,
      identifiers: `X-EXTERNAL-ID from the commandId; \`partnerReferenceNo\` = \`orderId\`; \`payOptionDetails[0]\` = \`${payMethod}\``,
    },
    status: {
      operation: '`status`',
      call: `\`${SNAP_PATHS.status}\` with \`serviceCode\` \`${SNAP_STATUS_SERVICE_CODE}\``,
      identifiers: "the charge's `referenceNo` (else its X-EXTERNAL-ID as `originalExternalId`); a fresh X-EXTERNAL-ID per inquiry",
    },
    cancel: {
      operation: '`cancel`',
      call: `\`${SNAP_PATHS.cancel}\``,
      identifiers: '`originalReferenceNo`, `originalPartnerReferenceNo` = `orderId`',
    },
    refund: {
      operation: '`refund`',
      call: `\`${SNAP_PATHS.refund}\``,
      identifiers: "`partnerRefundNo` from the commandId; `refundAmount` = the command's amount",
    },
    notification: {
      operation: 'notification',
      call: `\`${SNAP_PATHS.notify}\` on the worker's ingress`,
      identifiers: 'the order is found by `originalReferenceNo` / `originalPartnerReferenceNo`',
    },
  };
}

function coreRows(paymentType: string): Record<GeneratedOperation | 'notification', EndpointRow> {
  return {
    charge: {
      operation: '`charge`',
      call: `\`POST /v2/charge\` with \`payment_type\` \`${paymentType}\``,
      identifiers: 'Idempotency-Key from the commandId; `order_id` = `orderId`',
    },
    status: { operation: '`status`', call: '`GET /v2/{order_id}/status`', identifiers: '`orderId`' },
    cancel: { operation: '`cancel`', call: '`POST /v2/{order_id}/cancel`', identifiers: '`orderId`' },
    refund: {
      operation: '`refund`',
      call: '`POST /v2/{order_id}/refund`',
      identifiers: "`refund_key` and Idempotency-Key from the commandId; `amount` = the command's amount",
    },
    notification: {
      operation: 'notification',
      call: `Core API HTTP notification with \`payment_type\` \`${paymentType}\` at \`/notifications/core\` on the worker's ingress`,
      identifiers: 'the order is found by `order_id`',
    },
  };
}

/** The Midtrans path of each operation, for the generated tests (`{order_id}` as `order-1`). */
export function operationPaths(api: 'snap' | 'core'): Record<GeneratedOperation, string> {
  if (api === 'snap') return { charge: SNAP_PATHS.charge, status: SNAP_PATHS.status, cancel: SNAP_PATHS.cancel, refund: SNAP_PATHS.refund };
  return { charge: '/v2/charge', status: '/v2/order-1/status', cancel: '/v2/order-1/cancel', refund: '/v2/order-1/refund' };
}

/** The README's endpoint table: the chosen operations, then the notification. */
export function endpointRows(
  api: 'snap' | 'core',
  paymentType: string,
  payMethod: string,
  ops: readonly GeneratedOperation[],
): readonly EndpointRow[] {
  const rows = api === 'snap' ? snapRows(payMethod) : coreRows(paymentType);
  return [...ops.map((op) => rows[op]), rows.notification];
}
