import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CUSTOMER_ACTION_KINDS, CustomerAction, STANDARD_ACTION_KINDS } from './action.ts';
import { PaymentEventData } from './event.ts';
import { CONTRACT_VERSION, jsonSchemas } from './schemas.ts';

const expiresAt = '2026-11-25T10:00:00+07:00';
const qrPngDataUrl = 'data:image/png;base64,iVBORw0KGgo=';

const paymentCode = {
  kind: 'payment_code',
  paymentCode: '25709650945026',
  store: 'indomaret',
  merchantId: 'G123456789',
  expiresAt,
  instructions: ['Tell the cashier you are paying for Midtrans', 'Show the payment code', 'Pay in cash and keep the receipt'],
};
const instructions = {
  kind: 'instructions',
  instructions: ['Open the bank app', 'Choose Transfer, then enter the code'],
  url: 'https://pay.example/steps',
  expiresAt,
};

function issues(input: unknown): string[] {
  const r = CustomerAction.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

function without(action: Record<string, unknown>, field: string): Record<string, unknown> {
  return Object.fromEntries(Object.entries(action).filter(([k]) => k !== field));
}

describe('CustomerAction', () => {
  it('accepts a convenience-store payment code, with or without the optional fields', () => {
    expect(issues(paymentCode)).toEqual([]);
    expect(issues({ kind: 'payment_code', paymentCode: 'ALF123', store: 'alfamart', expiresAt })).toEqual([]);
  });

  it.each(['paymentCode', 'store', 'expiresAt'])('refuses a payment code without %s', (field) => {
    expect(issues(without(paymentCode, field)).join()).toContain(field);
  });

  it('accepts printed instructions, with or without a url and an expiry', () => {
    expect(issues(instructions)).toEqual([]);
    expect(issues({ kind: 'instructions', instructions: ['Follow the steps on the receipt'] })).toEqual([]);
  });

  it.each([
    ['no instructions', without(instructions, 'instructions')],
    ['an empty list', { ...instructions, instructions: [] }],
    ['an empty step', { ...instructions, instructions: [''] }],
  ])('refuses instructions with %s', (_what, action) => {
    expect(issues(action).join()).toContain('instructions');
  });

  it.each([
    ['qr (qris)', { kind: 'qr', qrString: '00020101021226', qrPngDataUrl, expiresAt }],
    ['virtual_account (va)', { kind: 'virtual_account', vaNumber: '7001212345678', bank: 'bca', expiresAt }],
    ['three_ds (card-3ds)', { kind: 'three_ds', url: 'https://api.midtrans.com/v2/token/rba/redirect/1' }],
    ['deeplink with a url (direct debit)', { kind: 'deeplink', url: 'https://gopay.example/app?ref=1', expiresAt }],
    ['deeplink without a url (direct debit)', { kind: 'deeplink', expiresAt }],
    ['redirect', { kind: 'redirect', url: 'https://app.midtrans.com/snap/v4/redirection/1' }],
  ])('still accepts what contract 1.0 accepted: %s', (_what, action) => {
    expect(issues(action)).toEqual([]);
  });

  it.each(STANDARD_ACTION_KINDS)('still accepts %s with any field of contract 1.0, or none', (kind) => {
    const all = { kind, url: 'https://x.example/', qrString: 'q', qrPngDataUrl, vaNumber: '1', bank: 'bni', expiresAt };
    expect(issues(all)).toEqual([]);
    expect(issues({ kind })).toEqual([]);
  });

  it('refuses an unknown kind, a field of another kind, and unknown fields', () => {
    expect(issues({ kind: 'bank_transfer', instructions: ['x'] })).toEqual([expect.stringMatching(/^kind: Invalid discriminator/)]);
    expect(issues({ ...paymentCode, vaNumber: '1' }).join()).toContain('vaNumber');
    expect(issues({ ...instructions, paymentCode: '1' }).join()).toContain('paymentCode');
    expect(issues({ kind: 'qr', qrString: 'q', store: 'indomaret' }).join()).toContain('store');
  });

  it('lets code read any field without narrowing by kind, as contract 1.0 code does', () => {
    const shown = (a: CustomerAction): (string | undefined)[] => [a.url, a.qrString, a.vaNumber, a.bank, a.expiresAt, a.instructions?.[0]];
    expect(shown(CustomerAction.parse(paymentCode))).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      expiresAt,
      paymentCode.instructions[0],
    ]);
    expect(shown(CustomerAction.parse({ kind: 'virtual_account', vaNumber: '1', bank: 'bca' }))).toEqual([
      undefined,
      undefined,
      '1',
      'bca',
      undefined,
      undefined,
    ]);
  });

  it('publishes the JSON Schema of the 1.0 kinds unchanged, and one schema per new kind', () => {
    const defs = (jsonSchemas()['ResultEvent'] as { $defs: Record<string, { properties: object; required: string[] }> }).$defs;
    expect(Object.keys(defs['StandardAction']!.properties)).toEqual([
      'kind',
      'url',
      'qrString',
      'qrPngDataUrl',
      'vaNumber',
      'bank',
      'expiresAt',
    ]);
    expect(defs['StandardAction']!.required).toEqual(['kind']);
    expect(defs['PaymentCodeAction']!.required).toEqual(['kind', 'paymentCode', 'store', 'expiresAt']);
    expect(Object.keys(defs['InstructionsAction']!.properties)).toEqual(['kind', 'instructions', 'url', 'expiresAt']);
  });

  it('travels in the data of an action_required event', () => {
    const data = {
      orderId: 'order-1',
      commandId: randomUUID(),
      method: 'cstore',
      amount: { value: 150000, currency: 'IDR' },
      status: 'action_required',
      midtrans: { transactionId: 't-1', responseCode: '201' },
      verification: 'response',
      customerAuthentication: { description: 'Customer pays in cash at the counter', factors: ['payment code'] },
      action: paymentCode,
    };
    expect(PaymentEventData.safeParse(data).success).toBe(true);
    expect(PaymentEventData.safeParse({ ...data, action: without(paymentCode, 'paymentCode') }).success).toBe(false);
  });

  it('lists every kind, and docs/contracts.md documents each one and the current version', () => {
    expect(CUSTOMER_ACTION_KINDS).toHaveLength(7);
    for (const kind of CUSTOMER_ACTION_KINDS) expect(issues({ kind }).join(), kind).not.toContain('Invalid discriminator');
    const doc = readFileSync(join(import.meta.dirname, '../../../docs/contracts.md'), 'utf8');
    for (const kind of CUSTOMER_ACTION_KINDS) expect(doc, kind).toMatch(new RegExp(`^\\| \`${kind}\` +\\|`, 'm'));
    expect(doc).toMatch(new RegExp(`^\\| ${CONTRACT_VERSION.replaceAll('.', '\\.')} +\\|`, 'm'));
  });
});
