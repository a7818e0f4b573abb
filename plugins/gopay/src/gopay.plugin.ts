// GoPay: the customer authorises in the app after a BI-SNAP direct-debit charge; the notification
// and the status inquiry say how it ended.
import { definePaymentMethod, DirectDebitDetails, directDebitOperations, directDebitOrderId } from '@paystream/plugin-sdk';

export const gopayPlugin = definePaymentMethod({
  method: 'gopay',
  topic: 'paystream.commands.gopay',
  api: 'snap',
  details: DirectDebitDetails,
  customerAuthentication: { description: 'Customer authenticates within the GoPay/Gojek app', factors: ['PIN', 'device possession'] },
  operations: directDebitOperations('GOPAY'),
  notifications: { snapPaths: ['/v1.0/debit/notify'], orderIdOf: directDebitOrderId },
  pendingTimeoutMs: 15 * 60_000,
});
