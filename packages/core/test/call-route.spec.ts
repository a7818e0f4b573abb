// The path the client reports for every call is a metric label: a route template from a closed set,
// never an order id or other value, however many orders are asked about.
import { describe, expect, it } from 'vitest';
import { routeTemplate, type CallRecord } from '../src/midtrans/client.ts';
import { clientFixture, useFakeMidtrans } from './client-fixture.ts';

const fake = useFakeMidtrans();

describe('the path label of a Midtrans call', () => {
  it('is the route template of a Core API path naming an order', () => {
    expect(routeTemplate('/v2/order-1/status')).toBe('/v2/:orderId/status');
    expect(routeTemplate('/v2/a~b.c_d/refund')).toBe('/v2/:orderId/refund');
    expect(routeTemplate('/v2/status/cancel')).toBe('/v2/:orderId/cancel');
    expect(routeTemplate('/v2/charge')).toBe('/v2/charge');
  });

  it('is a BI-SNAP path as it is, those paths being fixed words', () => {
    expect(routeTemplate('/v1.0/debit/payment-host-to-host')).toBe('/v1.0/debit/payment-host-to-host');
    expect(routeTemplate('/v1.0/qr/qr-mpm-query')).toBe('/v1.0/qr/qr-mpm-query');
  });

  it('is `other` for any path of no known shape', () => {
    for (const path of [
      '/v2/order-1',
      '/v2/order-1/status/extra',
      `/v1.0/${'x'.repeat(5_000)}`,
      '/v1.0/debit/ORDER-1',
      '/v2/o/status?x=1',
      '',
    ]) {
      expect(routeTemplate(path)).toBe('other');
    }
  });

  it('is what onCall reports, one series for a hundred orders', async () => {
    const fx = await clientFixture(fake);
    try {
      const paths = new Set<string>();
      fx.client.onCall((c: CallRecord) => paths.add(c.path));
      fake.respond = () => ({ status: 200, body: { status_code: '200', transaction_status: 'pending' } });
      for (let i = 0; i < 100; i++) await fx.client.coreApi({ method: 'GET', path: `/v2/order-${String(i)}/status` });
      expect([...paths]).toEqual(['/v2/:orderId/status']);
    } finally {
      await fx.close();
    }
  });
});
