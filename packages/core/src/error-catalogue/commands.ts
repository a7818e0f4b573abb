// Why the dispatcher refuses a command: each one goes to the method's DLQ with its code, and nothing
// is sent to Midtrans. These codes are the DLQ's closed set (metric labels, `dlq inspect --code`).
import type { ErrorEntry } from './entry.ts';

const refused = { class: 'invalid', exit: 65 } as const;

export const commandRefusals = {
  PS_ERR_COMMAND_MALFORMED: {
    ...refused,
    message: 'the command {problem}',
    meaning: 'the command is not UTF-8 JSON, or has no value (DLQ)',
  },
  PS_ERR_COMMAND_TOO_LARGE: {
    ...refused,
    message: 'the command is {size} bytes; at most {limit} are accepted',
    meaning: "the command's value is over 64 KiB; the DLQ record keeps its first 64 KiB and it is never replayed (DLQ)",
  },
  PS_ERR_COMMAND_KEY_MISMATCH: {
    ...refused,
    message: "the command's Kafka key is not its orderId {orderId}: commands of one order must use the order id as their key",
    meaning: "the command's Kafka key is not its `orderId`: commands of one order must share a key so they run one after another (DLQ)",
  },
  PS_ERR_COMMAND_UNKNOWN_MERCHANT: {
    ...refused,
    message: 'no merchant (credential set) named {merchant} is configured',
    meaning: 'the command names a merchant (credential set) that is not configured; refused before any plugin runs (DLQ)',
  },
  PS_ERR_COMMAND_DUPLICATE_ID: {
    ...refused,
    message: 'commandId {commandId} {why}; every Midtrans identifier derives from it, so another command needs another commandId',
    meaning:
      "the command reuses the `commandId` of another command with a different body; every Midtrans identifier derives from it, so it would replay the other command's answer (DLQ; nothing is sent to Midtrans)",
  },
  PS_ERR_COMMAND_ORDER_COMMANDS_EXHAUSTED: {
    ...refused,
    message: 'order {orderId} already holds {limit} commands; its state stays bounded, so a further command needs a new order',
    meaning:
      "the order already holds 24 commands other than status inquiries (charge, cancel, refunds, approvals); each binds its `commandId` in the order's state, which stays bounded, so a further one needs a new order (DLQ; nothing is sent to Midtrans)",
  },
  PS_ERR_COMMAND_HANDLER_FAILED: {
    ...refused,
    message: '{step} failed with {errorClass}; replay the command once the plugin is fixed',
    meaning:
      "the plugin threw an unexpected error while handling the command; the error's class is kept, never its text (DLQ; replay once the plugin is fixed)",
  },
  PS_ERR_COMMAND_CARD_DATA: {
    ...refused,
    message: 'the command carries a card number (in its key, a header or its value); send a Midtrans card token instead',
    meaning: 'the command carries a card number; only Midtrans card tokens are accepted (DLQ, number masked)',
  },
  PS_ERR_COMMAND_INVALID: {
    ...refused,
    message: 'the command fails the PaymentCommand schema: {issues}',
    meaning: 'the command fails the `PaymentCommand` schema; every bad field is named (DLQ)',
  },
  PS_ERR_COMMAND_UNKNOWN_METHOD: {
    ...refused,
    message: 'no plugin handles method {method} on {topic}',
    meaning: "no plugin handles the command's method on the topic it arrived on (DLQ)",
  },
  PS_ERR_COMMAND_3DS_DISABLED: {
    ...refused,
    message:
      '3-D Secure is decided by the backend and cannot be switched off by a command (details nested deeper than {depth} levels count as switching it off)',
    meaning: 'the command tries to switch 3-D Secure off (DLQ)',
  },
  PS_ERR_COMMAND_INVALID_DETAILS: {
    ...refused,
    message: "the details fail the plugin's schema: {issues}",
    meaning: "the method-specific details fail the plugin's schema (DLQ)",
  },
  PS_ERR_COMMAND_UNSUPPORTED: {
    ...refused,
    message: '{method} does not support {type}',
    meaning: "the plugin does not support the command's type (DLQ)",
  },
  PS_ERR_COMMAND_ORDER_CHARGED: {
    ...refused,
    message: 'order {orderId} was already charged by command {charged}; a new payment needs a new orderId',
    meaning: 'a charge for an order another command already charged; a new payment needs a new order id (DLQ; nothing is sent to Midtrans)',
  },
  PS_ERR_COMMAND_UNSIGNED: {
    ...refused,
    message: 'the command carries no signature; commands.auth.required refuses unsigned commands',
    meaning:
      '`commands.auth.required` is set and the command carries no signature headers; nothing of it is trusted, so no rejected event names its order (DLQ; nothing is sent to Midtrans)',
  },
  PS_ERR_COMMAND_BAD_SIGNATURE: {
    ...refused,
    message: "the command's signature {problem}",
    meaning:
      "the command's signature headers are malformed (repeated, oversized, not a 16-hex key id or base64 of 64 bytes), or the signature does not verify over the value's exact bytes (DLQ; nothing is sent to Midtrans)",
  },
  PS_ERR_COMMAND_UNKNOWN_SIGNING_KEY: {
    ...refused,
    message: 'the command is signed by key {keyId}, which no upstream in commands.auth.upstreams has',
    meaning: 'the command is signed by a key no upstream of `commands.auth.upstreams` has (DLQ; nothing is sent to Midtrans)',
  },
  PS_ERR_COMMAND_SIGNING_KEY_REVOKED: {
    ...refused,
    message: 'the command is signed by key {keyId} of upstream {upstream}, which is revoked',
    meaning: "the command is signed by an upstream's key that is on the command-key revocation list (DLQ; nothing is sent to Midtrans)",
  },
  PS_ERR_COMMAND_SIGNER_NOT_ALLOWED: {
    ...refused,
    message: 'upstream {upstream} (key {keyId}) may not send {what}',
    meaning:
      "the command is validly signed, but its upstream's entry in `commands.auth.upstreams` does not allow its method, type or merchant (DLQ; nothing is sent to Midtrans)",
  },
  PS_ERR_COMMAND_ORDER_RETIRED: {
    ...refused,
    message:
      'order {orderId} left the order state on {retiredAt}, once its retention after its outcome was over (state.retentionDays); a {type} for it is refused, and a new payment needs a new orderId',
    meaning:
      'a command (charge, status, cancel, refund, …) for an order that left the order state after its retention (`state.retentionDays` after its outcome; for a success, after its refund window, `state.refundWindowDays`); its id is remembered for `state.retiredMemoryDays`, so it is never taken for a new order (DLQ; nothing is sent to Midtrans)',
  },
  PS_ERR_COMMAND_REFUND_EXCEEDS_CHARGE: {
    ...refused,
    message: 'the refund of {refund} exceeds the {charged} charged for order {orderId}',
    meaning: "a refund of more than the order's charge (DLQ; nothing is sent to Midtrans)",
  },
} as const satisfies Record<string, ErrorEntry>;
