// Bank-transfer virtual accounts: the charge opens an account number at the chosen bank, the
// customer pays into it from their banking app or an ATM, and the notification and the inquiry say
// how it ended (Midtrans reference §5.4, §6). BI-SNAP has no VA refund, so none is declared.
import {
  answerUpdate,
  definePaymentMethod,
  inquiryRefusalUpdate,
  merchantOf,
  references,
  refusalUpdate,
  type JsonObject,
  type OperationContext,
  type OperationHandler,
  type PaymentUpdate,
} from '@paystream/plugin-sdk';
import {
  chargeReferences,
  createBody,
  deleteBody,
  dialledNumber,
  numbersAnswered,
  numbersFor,
  numbersOf,
  readInquiry,
  statusBody,
  VaDetails,
} from './va.mapping.ts';

type Ctx = OperationContext<VaDetails>;

const data = (body: JsonObject): JsonObject | undefined => body['virtualAccountData'] as JsonObject | undefined;

/** A configuration gap is the merchant's to fix: a failed charge that says what to set, sent nowhere. */
function unconfigured(ctx: Ctx): PaymentUpdate {
  const { bank } = ctx.command.details;
  const where = `merchants.${ctx.command.merchant ?? '<default>'}.virtualAccounts.${bank}`;
  return {
    status: 'failed',
    references: { externalId: ctx.ids.externalId },
    reason: `no ${bank} virtual-account partnerServiceId is configured for this merchant (set ${where} to the 1–8 digit prefix Midtrans assigned)`,
  };
}

const charge: OperationHandler<VaDetails> = async (ctx) => {
  const partnerServiceId = ctx.account.vaPartnerServiceIds[ctx.command.details.bank];
  if (!partnerServiceId || !/^\d{1,8}$/.test(partnerServiceId)) return unconfigured(ctx);
  const sent = numbersFor(ctx, partnerServiceId);
  const { body, expiresAt } = createBody(ctx, sent);
  // X-EXTERNAL-ID and trxId are one value: Midtrans asks for them to match on VA create.
  const o = await ctx.midtrans.snap({ path: '/v1.0/transfer-va/create-va', externalId: sent.trxId, body, ...merchantOf(ctx) });
  const numbers = o.ok ? numbersAnswered(data(o.body), sent) : sent;
  const known = chargeReferences(numbers, ctx.command.details.bank);
  // A conflict means this trxId already did something: only an inquiry can say what.
  if (!o.ok) return refusalUpdate(o, known);
  const action = {
    kind: 'virtual_account' as const,
    vaNumber: dialledNumber(numbers.virtualAccountNo),
    bank: ctx.command.details.bank,
    expiresAt,
  };
  return answerUpdate(o, 'action_required', known, { action });
};

const status: OperationHandler<VaDetails> = async (ctx) => {
  // The runtime inquires when a charge's outcome is unknown. The create is idempotent by trxId
  // (identical bytes are replayed) and only its answer gives the customer the number to pay into,
  // so a charge is resolved by sending the create again.
  if (ctx.command.type === 'payment.charge') return charge(ctx);
  const numbers = numbersOf(ctx.references);
  if (!numbers) return { status: 'pending', references: ctx.references, reason: 'no virtual account is known for this order yet' };
  const o = await ctx.midtrans.snap({
    path: '/v1.0/transfer-va/status',
    externalId: ctx.ids.inquiryId,
    body: statusBody(ctx, numbers),
    ...merchantOf(ctx),
  });
  if (!o.ok) return inquiryRefusalUpdate(o, ctx.references);
  const { status: reported, paymentRequestId, ...money } = readInquiry(data(o.body));
  return answerUpdate(o, reported, references(ctx.references, { paymentRequestId }), money);
};

const cancel: OperationHandler<VaDetails> = async (ctx) => {
  const numbers = numbersOf(ctx.references);
  if (!numbers) return status(ctx);
  const o = await ctx.midtrans.snap({
    path: '/v1.0/transfer-va/delete-va',
    externalId: ctx.ids.externalId,
    body: deleteBody(ctx, numbers),
    ...merchantOf(ctx),
  });
  // A refused delete (already paid, already expired) changes nothing: the inquiry says what is true.
  return o.ok ? answerUpdate(o, 'canceled', ctx.references) : status(ctx);
};

export const vaPlugin = definePaymentMethod({
  method: 'va',
  topic: 'paystream.commands.va',
  api: 'snap',
  details: VaDetails,
  customerAuthentication: {
    description: 'Customer authenticates via their banking app or ATM',
    factors: ['PIN/OTP/biometrics', 'card/device possession'],
  },
  operations: { charge, status, cancel },
  // VA notifications name the charge by its trxId, which the charge recorded as externalId; the runtime maps it back.
  notifications: { snapPaths: ['/v1.0/transfer-va/payment'], orderIdOf: () => undefined },
  // The longest validity a command may ask for (validForMinutes ≤ 7 days).
  pendingTimeoutMs: 7 * 24 * 60 * 60_000,
});
