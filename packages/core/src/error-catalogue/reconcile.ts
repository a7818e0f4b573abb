// Settlement reconciliation: Midtrans' transaction history that cannot be had or read, and the
// metrics file `paystream reconcile` could not write.
import type { ErrorEntry } from './entry.ts';

export const reconcileErrors = {
  PS_ERR_RECONCILE_HISTORY_REFUSED: {
    class: 'fatal',
    exit: 69,
    message: 'Midtrans refused the transaction history request {path} ({answer}: {reason})',
    meaning:
      "Midtrans answered a Transaction History List or Detail request with a refusal (a bad period or page, a feature the merchant's BI-SNAP credentials are not enabled for): the reconciliation stops, as a period it cannot read has no differences to report",
  },
  PS_ERR_RECONCILE_HISTORY_INVALID: {
    class: 'fatal',
    exit: 69,
    message: 'Midtrans answered {path} with a transaction history that cannot be read: {reason}',
    meaning:
      'a Transaction History answer does not have the documented shape (a transaction without identifiers, an amount or a date that does not parse) or its pages never end: nothing of it is trusted and the reconciliation stops',
  },
  PS_ERR_RECONCILE_METRICS_UNWRITABLE: {
    class: 'fatal',
    exit: 73,
    message: 'the reconciliation metrics cannot be written to {file}: {reason}',
    meaning:
      "`paystream reconcile --metrics-file` could not write its Prometheus textfile (a missing folder, no permission): the differences are still printed, but node-exporter's textfile collector keeps the previous run's values",
  },
} as const satisfies Record<string, ErrorEntry>;
