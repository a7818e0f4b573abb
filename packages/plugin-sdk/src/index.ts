// @paystream/plugin-sdk: everything a payment-method plugin may depend on.
export type * from './contract.ts';
export { CustomerAction } from './contract.ts';
export type { CoreApiCall, JsonObject, JsonValue, MidtransApi, MidtransOutcome, ResponseCode, SnapCall } from '@paystream/core';
export { MidtransError } from '@paystream/core';
export {
  definePaymentMethod,
  OPERATIONS,
  operationOf,
  PAYMENT_METHOD_PLUGIN,
  PluginError,
  pluginModule,
  pluginRegistry,
} from './define.ts';
export { coreStatus, moneyOf, rupiahOf, SNAP_STATUS, snapAmount, snapStatus } from './mapping.ts';
export { answerUpdate, inquiryRefusalUpdate, refusalUpdate, type MidtransRefusal, type UpdateFacts } from './updates.ts';
export {
  snapOperations,
  type SnapChargeDetails,
  type SnapCharge,
  type SnapDeclaration,
  type SnapInquiry,
  type SnapOperations,
  type SnapPath,
  type SnapRequest,
} from './snap-operations.ts';
export {
  DIRECT_DEBIT_ENDPOINTS,
  DIRECT_DEBIT_NOTIFY_PATH,
  DirectDebitDetails,
  directDebitOperations,
  directDebitOrderId,
  type DirectDebitEndpoints,
  type DirectDebitFields,
} from './families/direct-debit.ts';
export { expiryOf, merchantIdOf, merchantOf, originalIds, references, responseCodeOf, text } from './helpers.ts';
