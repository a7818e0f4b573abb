// The Core API payment types declared in src/core-types/: over the counter (cstore) paid by its code,
// the pay-later types approved, declined or expired at the provider, the request checks of a row,
// payment by any reference, and the one list that registers them.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CORE_PAYMENT_TYPES } from '../src/core-types/index.ts';
import { startSimulator, type Simulator } from '../src/server.ts';
import { call, receiver, type HttpAnswer } from './helpers.ts';

let sim: Simulator;
let rx: Awaited<ReturnType<typeof receiver>>;
let n = 0;
const order = (what: string): string => `${what}-${String(Date.now())}-${String(++n)}`;

beforeAll(async () => {
  rx = await receiver();
  sim = await startSimulator({ webhooks: { coreNotificationUrl: `${rx.url}/core`, timeScale: 60_000 } });
});
afterAll(async () => {
  await sim.close();
  await rx.close();
});

const basic = (): Record<string, string> => ({
  authorization: `Basic ${Buffer.from(`${sim.credentials.serverKey}:`).toString('base64')}`,
});
const charge = (paymentType: string, orderId: string, extra: object = {}): Promise<HttpAnswer> =>
  call(
    sim,
    'POST',
    '/v2/charge',
    { payment_type: paymentType, transaction_details: { order_id: orderId, gross_amount: 25000 }, ...extra },
    basic(),
  );
const status = async (orderId: string): Promise<Record<string, unknown>> =>
  (await call(sim, 'GET', `/v2/${orderId}/status`, undefined, basic())).body;

/** The Core API notification of the order at that transaction_status, its signature checked. */
async function notification(orderId: string, transactionStatus: string): Promise<Record<string, unknown>> {
  const note = await rx.next((r) => r.path === '/core' && r.raw.includes(`"${orderId}"`) && r.raw.includes(`"${transactionStatus}"`));
  const body = JSON.parse(note.raw) as Record<string, string>;
  const signed = `${orderId}${body['status_code'] ?? ''}${body['gross_amount'] ?? ''}${sim.credentials.serverKey}`;
  expect(body['signature_key']).toBe(createHash('sha512').update(signed).digest('hex'));
  return body;
}

describe('over the counter (cstore)', () => {
  it('answers an Indomaret payment code, is paid by that code at the counter and notifies settlement', async () => {
    const id = order('indomaret');
    const answer = await charge('cstore', id, { cstore: { store: 'Indomaret', message: 'Tiket' } });
    expect(answer.body).toMatchObject({
      status_code: '201',
      status_message: 'Success, cstore transaction is successful',
      order_id: id,
      payment_type: 'cstore',
      transaction_status: 'pending',
      store: 'indomaret',
    });
    const code = String(answer.body['payment_code']);
    expect(code).toMatch(/^\d{12}$/);
    expect(await status(id)).toMatchObject({ transaction_status: 'pending', payment_code: code, store: 'indomaret' });
    // The customer cannot refuse a code at the counter: only paying or letting it expire ends it.
    expect((await call(sim, 'POST', '/_sim/decline', { paymentCode: code })).status).toBe(409);
    expect((await call(sim, 'POST', '/_sim/pay', { paymentCode: code })).status).toBe(200);
    expect(await notification(id, 'settlement')).toMatchObject({ status_code: '200', payment_type: 'cstore', payment_code: code });
    expect((await call(sim, 'POST', '/_sim/pay', { paymentCode: code })).status).toBe(409);
  });

  it('answers a 16-digit Alfamart code, payable by any reference, and holds it pending for 24 h', async () => {
    const id = order('alfamart');
    const free = { alfamart_free_text_1: 'row 1', alfamart_free_text_2: 'row 2', alfamart_free_text_3: 'row 3' };
    const answer = await charge('cstore', id, { cstore: { store: 'alfamart', ...free } });
    expect(answer.body).toMatchObject({ status_code: '201', store: 'alfamart' });
    const code = String(answer.body['payment_code']);
    expect(code).toMatch(/^\d{16}$/);
    const tx = (await call(sim, 'GET', `/_sim/transactions?orderId=${id}`)).body;
    expect(Number(tx['validUntil']) - Number(tx['createdAt'])).toBe(24 * 3_600_000);
    expect((await call(sim, 'POST', '/_sim/pay', { reference: code })).body).toMatchObject({
      referenceNo: answer.body['transaction_id'],
      status: '00',
    });
    await notification(id, 'settlement');
  });

  it('refuses a charge without its store, or with a store Midtrans does not serve, and creates nothing', async () => {
    const refusals: [object, string[]][] = [
      [{}, ['cstore is required']],
      [{ cstore: { message: 'no store' } }, ['cstore.store is required']],
      [{ cstore: { store: 'warung' } }, ['cstore.store is invalid']],
    ];
    for (const [extra, messages] of refusals) {
      const id = order('cstore-bad');
      expect((await charge('cstore', id, extra)).body).toEqual({
        status_code: '400',
        status_message: 'One or more parameters in the payload is invalid.',
        validation_messages: messages,
      });
      expect((await status(id))['status_code']).toBe('404');
    }
  });
});

describe('pay later (akulaku, kredivo)', () => {
  it('redirects the customer to the provider, who approves: settlement', async () => {
    const id = order('akulaku-ok');
    const answer = await charge('akulaku', id);
    expect(answer.body).toMatchObject({
      status_code: '201',
      status_message: 'Success, Akulaku transaction is created',
      payment_type: 'akulaku',
      transaction_status: 'pending',
    });
    const page = new URL(String(answer.body['redirect_url'])).pathname;
    expect(page).toBe(`/pay/${String(answer.body['transaction_id'])}`);
    expect((await call(sim, 'GET', page)).text).toContain('id="decline"');
    const done = await call(sim, 'POST', page, 'decision=authorise', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(done.text).toContain('Payment successful');
    expect(await notification(id, 'settlement')).toMatchObject({ status_code: '200', payment_type: 'akulaku' });
  });

  it('a customer who declines at the provider leaves the charge denied', async () => {
    for (const type of ['akulaku', 'kredivo']) {
      const id = order(`${type}-no`);
      const answer = await charge(type, id);
      expect(String(answer.body['redirect_url'])).toContain('/pay/');
      expect((await call(sim, 'POST', '/_sim/decline', { orderId: id })).status).toBe(200);
      expect(await notification(id, 'deny')).toMatchObject({ status_code: '202', payment_type: type });
      expect((await call(sim, 'POST', '/_sim/pay', { orderId: id })).status).toBe(409);
    }
  });

  it('expires after the provider default: 2 h for Akulaku, 24 h for Kredivo', async () => {
    for (const [type, hours, message] of [
      ['akulaku', 2, 'Success, Akulaku transaction is created'],
      ['kredivo', 24, 'Kredivo transaction is created'],
    ] as const) {
      const id = order(`${type}-late`);
      expect((await charge(type, id)).body['status_message']).toBe(message);
      const tx = (await call(sim, 'GET', `/_sim/transactions?orderId=${id}`)).body;
      expect(Number(tx['validUntil']) - Number(tx['createdAt'])).toBe(hours * 3_600_000);
      expect((await call(sim, 'POST', '/_sim/expire', { orderId: id })).body).toMatchObject({ status: '08' });
      expect(await notification(id, 'expire')).toMatchObject({ status_code: '407', payment_type: type });
      expect((await status(id))['transaction_status']).toBe('expire');
    }
  });
});

describe('the table of payment types', () => {
  it('still refuses a payment_type nobody declared', async () => {
    expect((await charge('cod', order('cod'))).body).toEqual({
      status_code: '400',
      status_message: 'One or more parameters in the payload is invalid.',
      validation_messages: ['payment_type is not supported'],
    });
  });

  it('pays a bank transfer by its VA number, and any charge by its order or transaction id as `reference`', async () => {
    const va = order('va');
    const answer = await charge('bank_transfer', va, { bank_transfer: { bank: 'bni' } });
    const vaNumber = String((answer.body['va_numbers'] as { va_number: string }[])[0]?.va_number);
    expect((await call(sim, 'POST', '/_sim/pay', { vaNumber })).body).toMatchObject({
      referenceNo: answer.body['transaction_id'],
      status: '00',
    });
    for (const by of ['order', 'transaction'] as const) {
      const id = order(`ref-${by}`);
      const created = await charge('gopay', id);
      const reference = by === 'order' ? id : String(created.body['transaction_id']);
      expect((await call(sim, 'POST', '/_sim/pay', { reference })).status).toBe(200);
      await notification(id, 'settlement');
    }
  });

  it('registers each type once, in one sorted list with one entry per line', () => {
    const names = CORE_PAYMENT_TYPES.map((t) => t.paymentType);
    expect(new Set(names).size).toBe(names.length);
    const source = readFileSync(new URL('../src/core-types/index.ts', import.meta.url), 'utf8');
    const entries = [...(/\[\n([\s\S]*?)\n\];/.exec(source)?.[1] ?? '').matchAll(/^ {2}(\w+),$/gm)].map((m) => m[1] ?? '');
    expect(entries).toHaveLength(names.length);
    expect(entries).toEqual([...entries].sort());
    for (const entry of entries) expect(source).toContain(`import { ${entry} } from './`);
  });
});
