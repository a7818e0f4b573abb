// The official `midtrans-client` package charges the over-the-counter and pay-later payment types
// against the simulator and reads their status back, as a merchant's server would.
import { globalAgent } from 'node:https';
import midtrans from 'midtrans-client';
import ApiConfig from 'midtrans-client/lib/apiConfig.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../src/server.ts';

let sim: Simulator;

beforeAll(async () => {
  sim = await startSimulator({});
  ApiConfig.CORE_SANDBOX_BASE_URL = sim.baseUrl;
  // The Core API part of the official client verifies certificates: it is given the simulator's CA.
  globalAgent.options.ca = [sim.caCertPem];
});
afterAll(async () => {
  await sim.close();
});

describe('official client, Core API cstore / akulaku / kredivo', () => {
  it('charges each and finds it pending', async () => {
    const core = new midtrans.CoreApi({ isProduction: false, serverKey: sim.credentials.serverKey, clientKey: sim.credentials.clientKey });
    const charges: [string, object, object][] = [
      ['cstore', { cstore: { store: 'indomaret', message: 'Order' } }, { store: 'indomaret' }],
      ['akulaku', {}, { status_message: 'Success, Akulaku transaction is created' }],
      ['kredivo', {}, { status_message: 'Kredivo transaction is created' }],
    ];
    for (const [payment_type, extra, expected] of charges) {
      const id = `official-${payment_type}-${String(Date.now())}`;
      const charged = await core.charge({ payment_type, transaction_details: { order_id: id, gross_amount: 40000 }, ...extra });
      expect(charged, payment_type).toMatchObject({ status_code: '201', order_id: id, transaction_status: 'pending', ...expected });
      expect(charged['payment_code'] ?? charged['redirect_url'], payment_type).toBeTruthy();
      expect(await core.transaction.status(id)).toMatchObject({ payment_type, transaction_status: 'pending', gross_amount: '40000.00' });
    }
  });
});
