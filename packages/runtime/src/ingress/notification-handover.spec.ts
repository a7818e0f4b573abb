// The handover of a notification to its order's owner, with a faked publisher: what it is keyed and
// partitioned by for each kind of notification, what routes nothing, a Kafka that never acknowledges,
// and reading a handed-over record back, however hostile the record.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { directDebitOrderId, type PaymentMethodPlugin } from '@paystream/plugin-sdk';
import type { OutMessage } from '../kafka/publisher.ts';
import { CORE_NOTIFICATION_PATH, HandoverTimeout, NotificationHandover, readHandedOver } from './notification-handover.ts';

const TOPIC = 'paystream.notifications';
const DEBIT = '/v1.0/debit/notify';
const QRIS = '/v1.0/qr/qr-mpm-notify';
const VA = '/v1.0/transfer-va/payment';
const PATHS = new Set([CORE_NOTIFICATION_PATH, DEBIT, QRIS, VA]);

const plugin = (method: string, snapPaths: string[], orderIdOf: (body: unknown) => string | undefined): PaymentMethodPlugin =>
  ({ method, notifications: { snapPaths, orderIdOf } }) as unknown as PaymentMethodPlugin;
const PLUGINS = new Map([
  ['gopay', plugin('gopay', [DEBIT], directDebitOrderId)],
  ['qris', plugin('qris', [QRIS], () => undefined)],
]);

function handover(send: (records: readonly OutMessage[]) => Promise<void> = () => Promise.resolve()) {
  const sent: OutMessage[][] = [];
  const h = new NotificationHandover({
    publisher: {
      send: (records) => {
        sent.push([...records]);
        return send(records);
      },
    },
    topic: TOPIC,
    partitions: () => 6,
    plugins: PLUGINS,
  });
  return { h, sent };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('handing a notification over', () => {
  it("sends a Core API notification to its order's partition: one record keyed by order_id", async () => {
    const { h, sent } = handover();
    const body = { order_id: 'o-7', transaction_id: 'm-1', transaction_status: 'settlement' };
    expect(await h.send(CORE_NOTIFICATION_PATH, body)).toEqual({ orderId: 'o-7' });
    expect(sent).toHaveLength(1);
    const [record] = sent[0] ?? [];
    expect(record).toEqual({ topic: TOPIC, key: 'o-7', value: expect.any(String) as string });
    expect(record && 'partition' in record).toBe(false);
  });

  it("sends a direct debit notification keyed by the order id the path's plugin reads from it", async () => {
    const { h, sent } = handover();
    const body = { originalReferenceNo: 'A120', originalPartnerReferenceNo: 'o-8', latestTransactionStatus: '00' };
    expect(await h.send(DEBIT, body)).toEqual({ orderId: 'o-8' });
    expect(sent.map((records) => records.map((r) => [r.key, r.partition]))).toEqual([[['o-8', undefined]]]);
  });

  it('sends one copy to every partition, keyed by the reference, when a notification names no order id (QRIS, VA)', async () => {
    const { h, sent } = handover();
    expect(await h.send(QRIS, { originalReferenceNo: 'A121', latestTransactionStatus: '00' })).toEqual({});
    expect(await h.send(VA, { trxId: 't-1', virtualAccountNo: '8808123' })).toEqual({});
    expect(sent.map((records) => records.map((r) => [r.topic, r.key, r.partition]))).toEqual([
      [0, 1, 2, 3, 4, 5].map((p) => [TOPIC, 'A121', p]),
      [0, 1, 2, 3, 4, 5].map((p) => [TOPIC, 't-1', p]),
    ]);
  });

  it('sends nothing for a notification that names nothing to route by', async () => {
    const { h, sent } = handover();
    expect(await h.send(QRIS, { latestTransactionStatus: '00' })).toBeUndefined();
    expect(await h.send(CORE_NOTIFICATION_PATH, { order_id: 42, transaction_id: 'm-2' })).toBeUndefined();
    expect(await h.send(DEBIT, { originalPartnerReferenceNo: '', referenceNo: { nested: 'o-1' } })).toBeUndefined();
    expect(sent).toEqual([]);
  });

  it('routes by no value longer than 256 characters', async () => {
    const { h, sent } = handover();
    const long = 'o'.repeat(257);
    expect(await h.send(CORE_NOTIFICATION_PATH, { order_id: long })).toBeUndefined();
    expect(await h.send(QRIS, { originalReferenceNo: long })).toBeUndefined();
    expect(sent).toEqual([]);
    // An order id too long is passed over for the reference beside it (sent everywhere).
    expect(await h.send(DEBIT, { originalPartnerReferenceNo: long, originalReferenceNo: 'A122' })).toEqual({});
    expect(sent.at(-1)?.map((r) => r.key)).toEqual(Array(6).fill('A122'));
    const longest = 'o'.repeat(256);
    expect(await h.send(CORE_NOTIFICATION_PATH, { order_id: longest })).toEqual({ orderId: longest });
  });

  it('fails with HandoverTimeout when Kafka never acknowledges, and with the publisher’s error when it fails', async () => {
    vi.useFakeTimers();
    const { h } = handover(() => new Promise<void>(() => undefined));
    const late = expect(h.send(CORE_NOTIFICATION_PATH, { order_id: 'o-9' })).rejects.toBeInstanceOf(HandoverTimeout);
    await vi.advanceTimersByTimeAsync(10_000);
    await late;
    vi.useRealTimers();
    const failing = handover(() => Promise.reject(new Error('not enough replicas')));
    await expect(failing.h.send(CORE_NOTIFICATION_PATH, { order_id: 'o-9' })).rejects.toThrow('not enough replicas');
  });
});

describe('reading a handed-over notification', () => {
  it('reads back what was sent', async () => {
    const { h, sent } = handover();
    const body = { originalPartnerReferenceNo: 'o-10', amount: { value: '1000.00', currency: 'IDR' }, additionalInfo: null };
    await h.send(DEBIT, body);
    const value = sent[0]?.[0]?.value ?? '';
    expect(readHandedOver({ value: Buffer.from(value) }, PATHS)).toEqual({ path: DEBIT, body });
  });

  it('gives undefined, never throwing, for a record no worker wrote this way', () => {
    const record = (v: unknown): string => JSON.stringify(v);
    const hostile: (string | Buffer | null)[] = [
      null,
      '',
      'not json',
      '{"v":1,"path":',
      Buffer.from([0xff, 0xfe, 0x00, 0x7b]),
      'null',
      '42',
      '"text"',
      'true',
      record([1, DEBIT, {}]),
      record({ v: 1, path: DEBIT, body: [] }),
      record({ v: 1, path: DEBIT, body: null }),
      record({ v: 1, path: DEBIT, body: 'o-1' }),
      record({ v: 1, path: DEBIT }),
      record({ v: 1, path: '/admin/orders', body: {} }),
      record({ v: 1, path: ['/v1.0/debit/notify'], body: {} }),
      record({ v: 2, path: DEBIT, body: {} }),
      record({ v: '1', path: DEBIT, body: {} }),
      record({ v: 1e308, path: DEBIT, body: {} }),
      record({ path: DEBIT, body: {} }),
      '{"__proto__":{"v":1,"path":"/v1.0/debit/notify","body":{}}}',
      `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
      record({ v: 1, path: 'x'.repeat(1_000_000), body: {} }),
    ];
    for (const value of hostile) {
      const message = { value: typeof value === 'string' ? Buffer.from(value) : value };
      expect(readHandedOver(message, PATHS)).toBeUndefined();
    }
  });
});
