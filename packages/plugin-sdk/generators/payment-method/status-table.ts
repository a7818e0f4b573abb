// The status table a generated README starts from, computed with the SDK's own mapping functions so
// the documentation says what the generated code does.
import type { PaymentStatus } from '@paystream/contracts';
import { coreStatus, snapStatus } from '../../src/mapping.ts';

export interface StatusRow {
  /** What Midtrans sends, e.g. `00` or `settlement`. */
  readonly code: string;
  readonly meaning: string;
  readonly status: PaymentStatus;
}

/** BI-SNAP `latestTransactionStatus` codes (Midtrans reference §2.6); only the number is sent. */
const SNAP_CODES: readonly (readonly [code: string, meaning: string])[] = [
  ['00', 'Success'],
  ['01', 'Initiated'],
  ['02', 'Paying'],
  ['03', 'Pending'],
  ['04', 'Refunded (full or partial)'],
  ['05', 'Canceled'],
  ['06', 'Failed'],
  ['07', 'Not found'],
  ['08', 'Expired'],
  ['09', 'Rejected / denied'],
];

/** Core API v2 `transaction_status` values of a non-card payment. */
const CORE_STATUSES: readonly (readonly [status: string, meaning: string])[] = [
  ['settlement', 'Paid'],
  ['pending', 'Waiting for the customer'],
  ['authorize', 'Authorised, not captured'],
  ['deny', 'Denied'],
  ['failure', 'Failed'],
  ['expire', 'Expired'],
  ['cancel', 'Canceled'],
  ['refund', 'Refunded'],
  ['partial_refund', 'Partly refunded'],
];

export function statusTable(api: 'snap' | 'core'): readonly StatusRow[] {
  const rows =
    api === 'snap'
      ? SNAP_CODES.map(([code, meaning]) => ({ code, meaning, status: snapStatus(code) }))
      : CORE_STATUSES.map(([code, meaning]) => ({ code, meaning, status: coreStatus(code, undefined) }));
  return [
    ...rows,
    { code: 'anything else', meaning: '—', status: api === 'snap' ? snapStatus(undefined) : coreStatus(undefined, undefined) },
  ];
}
