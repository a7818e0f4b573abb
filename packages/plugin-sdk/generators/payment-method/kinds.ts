// What the chosen customer-action kind changes in a generated plugin: how `actionOf` reads the
// charge answer (Core API and BI-SNAP fields), the fields the fixture answers carry for it, what the
// method page tells the shop, and how the customer completes it in the simulator. The kinds offered
// are the contracts' (action-kinds.ts); generator.spec.ts requires a template for each of them.
import type { JsonObject } from '@paystream/core';

export interface KindTemplate {
  /** Body of `actionOf(answer: JsonObject, expiresAt: string)` over a Core API charge answer. */
  readonly core: string;
  /** The same over a BI-SNAP charge answer; absent for `deeplink`, which the direct-debit family answers itself. */
  readonly snap?: string;
  /** The charge answer's fields that carry the action, `url` being the customer's page. */
  readonly coreFields: (url: string) => JsonObject;
  readonly snapFields: (url: string) => JsonObject;
  /** What the shop does with `data.action` (method page). */
  readonly shop: string;
  /** The whole-system fixture: how the customer completes it, and its business failures. */
  readonly complete: string;
  readonly failures: string;
  /** What the whole-system fixture imports from the kit beside the suite. */
  readonly kit: readonly string[];
}

const REDIRECT_URL = (kind: string) =>
  `  const url = text(answer['redirect_url']);\n  return url ? { kind: '${kind}', url, expiresAt } : undefined;`;
const WEB_URL = (kind: string) =>
  `  const url = text(answer['webRedirectUrl']);\n  return url ? { kind: '${kind}', url, expiresAt } : undefined;`;

/** The customer's page of the simulator: authorise, or decline. */
const WALLET = {
  complete: `async ({ h }, charge) => {
    const { amount, result } = await walletPage(h.http, actionField(charge, 'url'), 'authorise');
    expect(amount).toBe(\`\${String(charge.data.amount.value)}.00\`);
    expect(result).toBe('Payment successful');
  }`,
  failures: `[
    {
      name: 'the customer declines',
      customer: async ({ h }, charge) => expect((await walletPage(h.http, actionField(charge, 'url'), 'decline')).result).toBe('Payment declined'),
      ledger: ['charge', 'failed'],
    },
  ]`,
  kit: ['actionField', 'byReference', 'walletPage'],
};

/** The simulator's `POST /_sim/pay` given what the customer quotes (`field` of the action), answered "paid" (00). */
const payWith = (body: string, why: string) => ({
  complete: `async ({ h }, charge) => {
    // ${why}
    expect((await h.admin('/pay', ${body})).body).toMatchObject({ status: '00' });
  }`,
  failures: '[]',
  kit: body.includes('actionField(') ? ['actionField', 'byReference'] : ['byReference'],
});

export const KIND_TEMPLATES: Readonly<Record<string, KindTemplate>> = {
  deeplink: {
    core: `  // Midtrans lists the customer's links in \`actions\`; the app opens the one named deeplink-redirect.
  const links = Array.isArray(answer['actions']) ? answer['actions'] : [];
  for (const link of links) {
    if (typeof link !== 'object' || link === null || Array.isArray(link) || link['name'] !== 'deeplink-redirect') continue;
    const url = text(link['url']);
    if (url) return { kind: 'deeplink', url, expiresAt };
  }
  return undefined;`,
    coreFields: (url) => ({ actions: [{ name: 'deeplink-redirect', method: 'GET', url }] }),
    snapFields: (url) => ({ webRedirectUrl: url }),
    shop: "open `data.action.url` (kind `deeplink`) on the customer's phone, where the app asks them to authorise",
    ...WALLET,
  },
  redirect: {
    core: REDIRECT_URL('redirect'),
    snap: WEB_URL('redirect'),
    coreFields: (url) => ({ redirect_url: url }),
    snapFields: (url) => ({ webRedirectUrl: url }),
    shop: 'send the customer to `data.action.url` (kind `redirect`), where they approve the payment',
    ...WALLET,
  },
  qr: {
    core: `  const qrString = text(answer['qr_string']);\n  return qrString ? { kind: 'qr', qrString, expiresAt } : undefined;`,
    snap: `  const qrString = text(answer['qrContent']);\n  return qrString ? { kind: 'qr', qrString, expiresAt } : undefined;`,
    coreFields: () => ({
      qr_string:
        '00020101021226620014COM.GO-JEK.WWW011993600914000000000215ID102000000000303UMI51440014ID.CO.QRIS.WWW0215ID10200000000000303UMI5204581253033605802ID5904Shop6007Jakarta6304ABCD',
    }),
    snapFields: () => ({
      qrContent:
        '00020101021226620014COM.GO-JEK.WWW011993600914000000000215ID10200000000000303UMI5204581253033605802ID5904Shop6007Jakarta6304ABCD',
    }),
    shop: 'show `data.action.qrString` as a QR code (kind `qr`) for the customer to scan and pay',
    ...payWith("{ reference: actionField(charge, 'qrString') }", "The customer's app scans the code and pays what it encodes."),
  },
  virtual_account: {
    core: `  const [first] = Array.isArray(answer['va_numbers']) ? answer['va_numbers'] : [];
  const account: JsonObject = typeof first === 'object' && first !== null && !Array.isArray(first) ? first : {};
  const vaNumber = text(account['va_number']);
  const bank = text(account['bank']);
  return vaNumber ? { kind: 'virtual_account', vaNumber, ...(bank ? { bank } : {}), expiresAt } : undefined;`,
    snap: `  const vaNumber = text(answer['virtualAccountNo']);\n  return vaNumber ? { kind: 'virtual_account', vaNumber, expiresAt } : undefined;`,
    coreFields: () => ({ va_numbers: [{ bank: 'bca', va_number: '880812345678' }] }),
    snapFields: () => ({ virtualAccountNo: '880812345678' }),
    shop: 'show the customer `data.action.vaNumber` (kind `virtual_account`, at `data.action.bank`) to transfer the amount to',
    ...payWith("{ vaNumber: actionField(charge, 'vaNumber') }", 'The payer transfers to the account number from their banking app.'),
  },
  three_ds: {
    core: REDIRECT_URL('three_ds'),
    snap: WEB_URL('three_ds'),
    coreFields: (url) => ({ redirect_url: url }),
    snapFields: (url) => ({ webRedirectUrl: url }),
    shop: "send the customer's browser to `data.action.url` (kind `three_ds`), the issuer's challenge page",
    complete: `async ({ threeDs }, charge) => {
    // The issuer's 3-D Secure page, in the browser, with the sandbox OTP.
    expect(await threeDs.complete(actionField(charge, 'url'), '112233')).toBe('Payment successful');
  }`,
    failures: '[]',
    kit: ['actionField', 'byReference'],
  },
  payment_code: {
    core: `  const paymentCode = text(answer['payment_code']);
  const store = text(answer['store']);
  const merchantId = text(answer['merchant_id']);
  // Midtrans writes expiry_time in Jakarta time (UTC+7) without an offset; without it the pending timeout holds.
  const expiry = text(answer['expiry_time']);
  if (!paymentCode || !store) return undefined;
  return { kind: 'payment_code', paymentCode, store, ...(merchantId ? { merchantId } : {}), expiresAt: expiry ? \`\${expiry.replace(' ', 'T')}+07:00\` : expiresAt };`,
    snap: `  const info = answer['additionalInfo'];
  const fields: JsonObject = typeof info === 'object' && info !== null && !Array.isArray(info) ? info : {};
  const paymentCode = text(fields['paymentCode']);
  const store = text(fields['store']);
  return paymentCode && store ? { kind: 'payment_code', paymentCode, store, expiresAt } : undefined;`,
    coreFields: () => ({ payment_code: '250119123456', store: 'indomaret', merchant_id: 'G000000001' }),
    snapFields: () => ({ additionalInfo: { paymentCode: '250119123456', store: 'indomaret' } }),
    shop: 'show the customer `data.action.paymentCode` (kind `payment_code`) to pay in cash at a `data.action.store` counter before `data.action.expiresAt`',
    ...payWith("{ paymentCode: actionField(charge, 'paymentCode') }", 'The cashier enters the code the customer shows at the counter.'),
  },
  instructions: {
    core: `  const url = text(answer['redirect_url']);\n  return { kind: 'instructions', instructions: [...INSTRUCTIONS], ...(url ? { url } : {}), expiresAt };`,
    snap: `  const url = text(answer['webRedirectUrl']);\n  return { kind: 'instructions', instructions: [...INSTRUCTIONS], ...(url ? { url } : {}), expiresAt };`,
    coreFields: (url) => ({ redirect_url: url }),
    snapFields: (url) => ({ webRedirectUrl: url }),
    shop: 'show the customer the steps of `data.action.instructions` (kind `instructions`), one per line',
    ...payWith(
      "{ reference: charge.data.midtrans['referenceNo'] ?? charge.data.midtrans['transactionId'] ?? '' }",
      'The customer follows the steps; the simulator stands in for the place they pay.',
    ),
  },
};

/** The template of a kind, or a refusal naming where to add one (a kind the contracts gained since). */
export function kindTemplate(kind: string): KindTemplate {
  const template = Object.hasOwn(KIND_TEMPLATES, kind) ? KIND_TEMPLATES[kind] : undefined;
  if (!template)
    throw new Error(
      `payment-method: --action=${kind} is a kind the contracts allow, but the generator has no template for it yet; add one to packages/plugin-sdk/generators/payment-method/kinds.ts`,
    );
  return template;
}
