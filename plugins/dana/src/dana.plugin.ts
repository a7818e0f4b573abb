// DANA: the customer authorises in the app after a BI-SNAP direct-debit charge; the notification
// and the status inquiry say how it ended.
import { definePaymentMethod, DirectDebitDetails, directDebitOperations, directDebitOrderId } from '@paystream/plugin-sdk';

export const danaPlugin = definePaymentMethod({
  method: 'dana',
  topic: 'paystream.commands.dana',
  api: 'snap',
  details: DirectDebitDetails,
  customerAuthentication: { description: 'Customer authenticates within the DANA app', factors: ['PIN', 'device possession'] },
  operations: directDebitOperations('DANA'),
  notifications: { snapPaths: ['/v1.0/debit/notify'], orderIdOf: directDebitOrderId },
  pendingTimeoutMs: 15 * 60_000,
});
