// The official `midtrans-client` package, configured from the simulator's credentials, completes its
// calls against the simulator, and verifies the simulator's notifications.
import { createHash } from 'node:crypto';
import { globalAgent } from 'node:https';
import midtrans from 'midtrans-client';
import ApiConfig from 'midtrans-client/lib/apiConfig.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../src/server.ts';
import { call, receiver } from './helpers.ts';

let sim: Simulator;
let rx: Awaited<ReturnType<typeof receiver>>;
let n = 0;
const ext = (): string => `ext-${String(Date.now())}-${String(++n)}`;
const order = (): string => `order-${String(Date.now())}-${String(++n)}`;

beforeAll(async () => {
  rx = await receiver();
  sim = await startSimulator({ webhooks: { snapBaseUrl: rx.url, coreNotificationUrl: `${rx.url}/core`, timeScale: 6000 } });
  Object.assign(midtrans.SnapBiConfig, {
    SNAP_BI_SANDBOX_BASE_URL: sim.baseUrl,
    isProduction: false,
    snapBiClientId: sim.credentials.clientId,
    snapBiPrivateKey: sim.credentials.merchantPrivateKeyPem,
    snapBiClientSecret: sim.credentials.clientSecret,
    snapBiPartnerId: sim.credentials.partnerId,
    snapBiChannelId: sim.credentials.channelId,
    snapBiPublicKey: sim.credentials.midtransPublicKeyPem,
  });
});
afterAll(async () => {
  await sim.close();
  await rx.close();
});

const amount = { value: '10000.00', currency: 'IDR' };

describe('official client, SnapBi direct debit', () => {
  it('createPayment, getStatus, cancel; then a paid order is refunded; notifications verify', async () => {
    const partnerReferenceNo = order();
    const charge = await midtrans.SnapBi.directDebit()
      .withBody({
        partnerReferenceNo,
        chargeToken: '',
        payOptionDetails: [{ payMethod: 'GOPAY', payOption: 'GOPAY_WALLET', transAmount: amount }],
        additionalInfo: {},
      })
      .createPayment(ext());
    expect(charge).toMatchObject({ responseCode: '2005400', partnerReferenceNo });
    expect(String(charge['webRedirectUrl'])).toContain(`${sim.baseUrl}/pay/`);
    const referenceNo = String(charge['referenceNo']);
    const status = await midtrans.SnapBi.directDebit().withBody({ originalReferenceNo: referenceNo, serviceCode: '54' }).getStatus(ext());
    expect(status).toMatchObject({ responseCode: '2005500', latestTransactionStatus: '03' });
    expect(
      await midtrans.SnapBi.directDebit()
        .withBody({ originalReferenceNo: referenceNo, originalPartnerReferenceNo: partnerReferenceNo })
        .cancel(ext()),
    ).toMatchObject({ responseCode: '2005700' });

    const paidRef = order();
    const paid = await midtrans.SnapBi.directDebit()
      .withBody({
        partnerReferenceNo: paidRef,
        chargeToken: '',
        payOptionDetails: [{ payMethod: 'DANA', payOption: 'DANA', transAmount: amount }],
      })
      .createPayment(ext());
    const page = await call(sim, 'POST', new URL(String(paid['webRedirectUrl'])).pathname);
    expect(page.text).toContain('Payment successful');
    const refund = await midtrans.SnapBi.directDebit()
      .withBody({
        originalReferenceNo: paid['referenceNo'],
        originalPartnerReferenceNo: paidRef,
        partnerRefundNo: `rf-${paidRef}`,
        refundAmount: amount,
        reason: 'customer request',
      })
      .refund(ext());
    expect(refund).toMatchObject({ responseCode: '2005800', partnerRefundNo: `rf-${paidRef}` });

    const note = await rx.next((r) => r.raw.includes(paidRef) && r.raw.includes('"latestTransactionStatus":"00"'));
    expect(note.path).toBe('/v1.0/debit/notify');
    const verified = midtrans.SnapBi.notification()
      .withNotificationPayload(JSON.parse(note.raw))
      .withSignature(String(note.headers['x-signature']))
      .withTimeStamp(String(note.headers['x-timestamp']))
      .withNotificationUrlPath('/v1.0/debit/notify')
      .isWebhookNotificationVerified();
    expect(verified).toBe(true);
  });
});

describe('official client, SnapBi QRIS and VA', () => {
  it('qris createPayment, getStatus, cancel, refund', async () => {
    const externalId = ext();
    const qr = await midtrans.SnapBi.qris()
      .withBody({
        partnerReferenceNo: externalId,
        amount,
        merchantId: sim.credentials.merchantId,
        validityPeriod: new Date(Date.now() + 600_000).toISOString(),
        additionalInfo: { acquirer: 'gopay' },
      })
      .createPayment(externalId);
    expect(qr).toMatchObject({ responseCode: '2004700' });
    expect(String(qr['qrContent'])).toMatch(/^000201/);
    expect(
      await midtrans.SnapBi.qris()
        .withBody({ originalReferenceNo: qr['referenceNo'], serviceCode: '47', merchantId: sim.credentials.merchantId })
        .getStatus(ext()),
    ).toMatchObject({ responseCode: '2005100', latestTransactionStatus: '03' });
    expect(
      await midtrans.SnapBi.qris()
        .withBody({ originalReferenceNo: qr['referenceNo'], merchantId: sim.credentials.merchantId, reason: 'cancel' })
        .cancel(ext()),
    ).toMatchObject({ responseCode: '2007700' });

    const paidExt = ext();
    const paid = await midtrans.SnapBi.qris()
      .withBody({ partnerReferenceNo: paidExt, amount, merchantId: sim.credentials.merchantId })
      .createPayment(paidExt);
    expect((await call(sim, 'POST', '/_sim/pay', { referenceNo: paid['referenceNo'] })).status).toBe(200);
    const refundNo = ext();
    expect(
      await midtrans.SnapBi.qris()
        .withBody({
          merchantId: sim.credentials.merchantId,
          originalReferenceNo: paid['referenceNo'],
          partnerRefundNo: refundNo,
          reason: 'r',
          refundAmount: amount,
        })
        .refund(refundNo),
    ).toMatchObject({ responseCode: '2007800' });
  });

  it('va createPayment, getStatus, cancel', async () => {
    const trxId = ext();
    const va = { partnerServiceId: '   70012', customerNo: '6280123456', virtualAccountNo: '   700126280123456' };
    const created = await midtrans.SnapBi.va()
      .withBody({
        ...va,
        virtualAccountName: 'Budi',
        trxId,
        totalAmount: amount,
        additionalInfo: { merchantId: sim.credentials.merchantId, bank: 'bca' },
      })
      .createPayment(trxId);
    expect(created).toMatchObject({ responseCode: '2002700' });
    expect(
      await midtrans.SnapBi.va()
        .withBody({ ...va, inquiryRequestId: trxId, additionalInfo: { merchantId: sim.credentials.merchantId } })
        .getStatus(ext()),
    ).toMatchObject({ responseCode: '2002600' });
    expect(
      await midtrans.SnapBi.va()
        .withBody({ ...va, trxId, additionalInfo: { merchantId: sim.credentials.merchantId } })
        .cancel(ext()),
    ).toMatchObject({ responseCode: '2003100' });
  });
});

describe('official client, Core API', () => {
  it('cardToken, charge for each payment type, transaction status, cancel and refund', async () => {
    ApiConfig.CORE_SANDBOX_BASE_URL = sim.baseUrl;
    // The Core API part of the official client verifies certificates: it is given the simulator's CA.
    globalAgent.options.ca = [sim.caCertPem];
    const core = new midtrans.CoreApi({ isProduction: false, serverKey: sim.credentials.serverKey, clientKey: sim.credentials.clientKey });
    const token = await core.cardToken({
      card_number: '4811111111111114',
      card_exp_month: '12',
      card_exp_year: '2030',
      card_cvv: '123',
      client_key: sim.credentials.clientKey,
    });
    expect(token).toMatchObject({ status_code: '200' });
    const card = await core.charge({
      payment_type: 'credit_card',
      transaction_details: { order_id: order(), gross_amount: 10000 },
      credit_card: { token_id: token['token_id'], authentication: true },
    });
    expect(card).toMatchObject({ status_code: '201', transaction_status: 'pending' });
    expect(String(card['redirect_url'])).toContain('/3ds/');
    for (const payment_type of ['gopay', 'shopeepay', 'qris', 'bank_transfer', 'echannel']) {
      const id = order();
      const charged = await core.charge({
        payment_type,
        transaction_details: { order_id: id, gross_amount: 25000 },
        ...(payment_type === 'bank_transfer' ? { bank_transfer: { bank: 'bni' } } : {}),
      });
      expect(charged, payment_type).toMatchObject({ status_code: '201', order_id: id, transaction_status: 'pending' });
      expect(await core.transaction.status(id)).toMatchObject({ transaction_status: 'pending', gross_amount: '25000.00' });
    }
    const toCancel = order();
    await core.charge({ payment_type: 'gopay', transaction_details: { order_id: toCancel, gross_amount: 5000 } });
    expect(await core.transaction.cancel(toCancel)).toMatchObject({ transaction_status: 'cancel' });
    const toRefund = order();
    await core.charge({ payment_type: 'gopay', transaction_details: { order_id: toRefund, gross_amount: 5000 } });
    await call(sim, 'POST', '/_sim/pay', { orderId: toRefund });
    expect(await core.transaction.refund(toRefund, { refund_key: `rk-${toRefund}`, amount: 5000 })).toMatchObject({
      transaction_status: 'refund',
    });
    const note = await rx.next((r) => r.path === '/core' && r.raw.includes(toRefund) && r.raw.includes('"settlement"'));
    const body = JSON.parse(note.raw) as Record<string, string>;
    expect(body['signature_key']).toBe(
      createHash('sha512')
        .update(`${toRefund}${body['status_code'] ?? ''}${body['gross_amount'] ?? ''}${sim.credentials.serverKey}`)
        .digest('hex'),
    );
  });
});
