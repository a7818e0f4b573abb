// @paystream/plugin-sdk: everything a payment-method plugin may depend on.
export type * from './contract.ts';
export type { CoreApiCall, JsonObject, JsonValue, MidtransApi, MidtransOutcome, ResponseCode, SnapCall } from '@paystream/core';
export { MidtransError } from '@paystream/core';
export { definePaymentMethod, OPERATIONS, PAYMENT_METHOD_PLUGIN, PluginError, pluginModule, pluginRegistry } from './define.ts';
export { coreStatus, moneyOf, rupiahOf, SNAP_STATUS, snapAmount, snapStatus } from './mapping.ts';
export { DirectDebitDetails, directDebitOperations, directDebitOrderId } from './families/direct-debit.ts';
export { expiryOf, merchantOf, originalIds, references, responseCodeOf, text } from './helpers.ts';
