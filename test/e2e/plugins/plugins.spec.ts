// Every payment-method plugin the worker loads, end to end: commands published on the real broker as
// an upstream service publishes them, one in-process worker, the Midtrans simulator over HTTPS with
// its notifications going to the worker's ingress, simulated customers (the 3DS page in headless
// Chromium), and the signed result events read back and checked as a downstream service checks them.
// Per plugin: completed, abandoned, failed for business reasons, canceled, refunded (or refused when
// the method cannot refund) and, for cards, the fraud review; the simulator ledger is checked in each.
import type {} from '@paystream/kafka-broker/global-setup';
import type { CommandType, PaymentCommand, PaymentEvent, ResultEvent } from '@paystream/contracts';
import type { Tx } from '@paystream/midtrans-sim';
import { pluginModules } from '@paystream/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { threeDsBrowser } from './customer.ts';
import { amountLimits, CARDS, fixtures, OTP, threeDs, type Fixture, type World } from './fixtures.ts';
import { kind, payment, startHarness, type Received } from './harness.ts';

const methods = Object.keys(pluginModules).toSorted();
let world: World | undefined;
function w(): World {
  if (!world) throw new Error('the suite did not start');
  return world;
}

beforeAll(async () => {
  const h = await startHarness(inject('kafkaBrokers'), amountLimits);
  world = { h, threeDs: await threeDsBrowser() };
}, 300_000);
afterAll(async () => {
  await world?.threeDs.close();
  await world?.h.close();
});

/** A downstream service's checks on each event, and the customer's contact never in clear. */
function trusted(events: readonly Received[]): void {
  for (const r of events) {
    expect(r.problems, r.event.type).toEqual([]);
    expect(JSON.stringify(r.event)).not.toContain('siti@example.com');
  }
}

async function send(
  f: Fixture,
  orderId: string,
  type: CommandType,
  fields: { amount?: number; details?: Record<string, unknown> } = {},
): Promise<PaymentCommand> {
  const command = w().h.command(f.method, orderId, type, fields);
  await w().h.publish(command);
  return command;
}

/** The result event of one command. */
const resultOf = (command: PaymentCommand): Promise<ResultEvent> =>
  w().h.next(command.orderId, `${command.type} result`, (e) => e.data.commandId === command.commandId);

interface Charged {
  readonly orderId: string;
  readonly command: PaymentCommand;
  readonly action: PaymentEvent;
  readonly tx: Tx;
  /** A later command for the order, carrying the charge's details as the upstream service resends them. */
  readonly follow: (type: CommandType) => Promise<PaymentCommand>;
}

/** A charge the customer is asked to act on, and the simulator's transaction for it. */
async function charge(f: Fixture, label: string, details?: Record<string, unknown>): Promise<Charged> {
  const orderId = w().h.orderId(f.method, label);
  const command = await send(f, orderId, 'payment.charge', { details: details ?? (await f.details(w())) });
  const action = payment(await resultOf(command));
  expect(action.type).toBe('paystream.payment.action_required');
  expect(action.data.verification).toBe('response');
  expect(action.data.action?.kind).toBe(f.action);
  const tx = f.transaction(w().h.sim, action);
  if (!tx) throw new Error(`the simulator holds no transaction for ${orderId}: ${JSON.stringify(action.data.midtrans)}`);
  return { orderId, command, action, tx, follow: (type) => send(f, orderId, type, { details: command.details }) };
}

const waitFor = (orderId: string, type: ResultEvent['type']): Promise<PaymentEvent> =>
  w()
    .h.next(orderId, type, (e) => e.type === type)
    .then(payment);

/** Every notification about the transaction was accepted by the worker's ingress. */
function notificationsAccepted(tx: Tx): void {
  expect(
    w()
      .h.deliveries(tx)
      .filter((status) => status !== 200),
    'notification answers other than 200',
  ).toEqual([]);
}

it('has an end-to-end fixture for every plugin the worker loads', () => {
  expect(methods.filter((m) => !fixtures[m])).toEqual([]);
  expect([...w().h.worker.plugins].toSorted()).toEqual(methods);
});

it('answers a status command while the customer has yet to act (the order stays action_required)', async () => {
  const f = fixtures['gopay'];
  if (!f) throw new Error('no gopay fixture');
  const { follow } = await charge(f, 'asked-early');
  const asked = await resultOf(await follow('payment.status'));
  expect(asked).toMatchObject({ data: { verification: 'inquiry' } });
});

for (const method of methods) {
  const f = fixtures[method];
  if (!f) continue;

  describe.concurrent(method, () => {
    it('charge → the customer completes → exactly one succeeded, from the notification confirmed by inquiry', async () => {
      const { orderId, action, tx } = await charge(f, 'paid');
      await f.complete(w(), action);
      const succeeded = await waitFor(orderId, 'paystream.payment.succeeded');
      const events = await w().h.settle(orderId, tx);
      trusted(events);
      expect(events.map(kind)).toEqual(['action_required', 'succeeded']);
      expect(succeeded.data).toMatchObject({
        verification: 'notification+inquiry',
        amount: action.data.amount,
        status: 'succeeded',
        customerAuthentication: action.data.customerAuthentication,
      });
      expect(w().h.ledger(tx)).toEqual(['charge', 'paid']);
      notificationsAccepted(tx);
    });

    it('the customer abandons it → expired, from the notification and again from a status command, one event id', async () => {
      const { orderId, command, action, tx, follow } = await charge(
        f,
        'abandoned',
        f.validity ? { ...(await f.details(w())), ...f.validity.details } : undefined,
      );
      if (f.validity) {
        // The customer's time comes from the command, so a redelivered command sends the same bytes.
        expect(tx.validUntil).toBe(Date.parse(command.requestedAt) + f.validity.minutes * 60_000);
        expect(action.data.action?.expiresAt).toBe(new Date(tx.validUntil).toISOString());
      }
      expect((await w().h.admin('/expire', { referenceNo: tx.referenceNo })).body).toMatchObject({ status: '08' });
      const expired = await waitFor(orderId, 'paystream.payment.expired');
      expect(expired.data.verification).toBe('notification+inquiry');
      const asked = payment(await resultOf(await follow('payment.status')));
      expect(asked).toMatchObject({ type: 'paystream.payment.expired', id: expired.id, data: { verification: 'inquiry' } });
      const events = await w().h.settle(orderId, tx);
      trusted(events);
      expect(events.map(kind)).toEqual(['action_required', 'expired', 'expired']);
      expect(w().h.ledger(tx)).toEqual(['charge', 'expired']);
      notificationsAccepted(tx);
    });

    for (const [i, failure] of f.failures.entries()) {
      it(`business failure: ${failure.name} → failed`, async () => {
        const orderId = w().h.orderId(f.method, `failure${String(i)}`);
        const details = await (failure.details ?? f.details)(w());
        const command = await send(f, orderId, 'payment.charge', { details, ...(failure.amount ? { amount: failure.amount } : {}) });
        const first = payment(await resultOf(command));
        let tx: Tx | undefined;
        let failed: PaymentEvent;
        if (failure.customer) {
          expect(first.type).toBe('paystream.payment.action_required');
          tx = f.transaction(w().h.sim, first);
          await failure.customer(w(), first);
          failed = await waitFor(orderId, 'paystream.payment.failed');
          expect(failed.data.verification).toBe('notification+inquiry');
        } else {
          failed = first;
          expect(failed).toMatchObject({
            type: 'paystream.payment.failed',
            data: { verification: 'response', midtrans: { responseCode: failure.responseCode } },
          });
          expect(failed.data.reason).toBeTruthy();
        }
        const events = await w().h.settle(orderId, tx);
        trusted(events);
        expect(events.map(kind)).toEqual(failure.customer ? ['action_required', 'failed'] : ['failed']);
        // Midtrans knows the order by these names; a refused charge left nothing behind.
        const names = new Set([orderId, ...Object.values(failed.data.midtrans)]);
        expect(
          w()
            .h.sim.store.ledger.filter((e) => names.has(e.partnerReferenceNo))
            .map((e) => e.event),
        ).toEqual(failure.ledger);
        if (tx) notificationsAccepted(tx);
      });
    }

    if (f.cancels !== false) {
      it('cancel → canceled; a second cancel and a late notification of the pending charge leave it canceled', async () => {
        const { orderId, tx, follow } = await charge(f, 'canceled');
        const canceled = payment(await resultOf(await follow('payment.cancel')));
        expect(canceled).toMatchObject({ type: 'paystream.payment.canceled', data: { verification: 'response' } });
        const again = payment(await resultOf(await follow('payment.cancel')));
        expect(again).toMatchObject({ type: 'paystream.payment.canceled', id: canceled.id });
        expect((await w().h.admin('/renotify', { referenceNo: tx.referenceNo, status: '03' })).status).toBe(200);
        expect((await w().h.admin('/pay', { referenceNo: tx.referenceNo })).status).toBe(409);
        const events = await w().h.settle(orderId, tx);
        trusted(events);
        const [first, ...after] = events;
        expect(first && kind(first)).toBe('action_required');
        expect(new Set(after.map(kind))).toEqual(new Set(['canceled']));
        expect(new Set(after.map((r) => r.event.id))).toEqual(new Set([canceled.id]));
        expect(w().h.ledger(tx)).toEqual(['charge', 'canceled']);
        expect(w().h.deliveries(tx).length).toBeGreaterThanOrEqual(2);
        notificationsAccepted(tx);
      });

      it('a cancel command names the order only: the charge-time details (card token, bank, …) are not asked for again', async () => {
        const { orderId, tx } = await charge(f, 'bare-cancel');
        const canceled = await resultOf(await send(f, orderId, 'payment.cancel', { details: {} }));
        expect(canceled.type === 'paystream.command.rejected' ? `${canceled.data.code}: ${canceled.data.message}` : canceled.type).toBe(
          'paystream.payment.canceled',
        );
        await w().h.settle(orderId, tx);
        expect(w().h.ledger(tx)).toEqual(['charge', 'canceled']);
      });
    } else {
      it('cancel → refused as unsupported by the method; Midtrans is not asked, the charge goes on', async () => {
        const { orderId, tx, follow } = await charge(f, 'no-cancel');
        const refused = await resultOf(await follow('payment.cancel'));
        expect(refused).toMatchObject({ type: 'paystream.command.rejected', data: { code: 'PS_ERR_COMMAND_UNSUPPORTED' } });
        await w().h.settle(orderId, tx);
        expect(w().h.ledger(tx)).toEqual(['charge']);
      });
    }

    if (f.refunds) {
      it('paid, then refund → refunded; a late notification of the payment cannot undo it; the ledger holds charge, paid, refund', async () => {
        const { orderId, action, tx, follow } = await charge(f, 'refunded');
        await f.complete(w(), action);
        const succeeded = await waitFor(orderId, 'paystream.payment.succeeded');
        const refunded = payment(await resultOf(await follow('payment.refund')));
        expect(refunded).toMatchObject({
          type: 'paystream.payment.refunded',
          data: { verification: 'response', amount: action.data.amount },
        });
        expect((await w().h.admin('/renotify', { referenceNo: tx.referenceNo, status: '00' })).status).toBe(200);
        const events = await w().h.settle(orderId, tx);
        trusted(events);
        expect(events.slice(0, 2).map((r) => r.event.id)).toEqual([action.id, succeeded.id]);
        expect(new Set(events.slice(2).map((r) => r.event.id))).toEqual(new Set([refunded.id]));
        expect(w().h.ledger(tx)).toEqual(['charge', 'paid', 'refund']);
        notificationsAccepted(tx);
      });
    } else {
      it('paid, then refund → refused as unsupported by the method; Midtrans is not asked', async () => {
        const { orderId, action, tx, follow } = await charge(f, 'refunded');
        await f.complete(w(), action);
        // The upstream service learns of the payment by asking, whatever became of the notification.
        const paid = payment(await resultOf(await follow('payment.status')));
        expect(paid).toMatchObject({ type: 'paystream.payment.succeeded', data: { verification: 'inquiry' } });
        const refused = await resultOf(await follow('payment.refund'));
        expect(refused).toMatchObject({ type: 'paystream.command.rejected', data: { code: 'PS_ERR_COMMAND_UNSUPPORTED' } });
        const events = await w().h.settle(orderId, tx);
        trusted(events);
        expect(new Set(events.map(kind))).toEqual(new Set(['action_required', 'succeeded', 'rejected']));
        expect(new Set(events.filter((r) => kind(r) === 'succeeded').map((r) => r.event.id))).toEqual(new Set([paid.id]));
        expect(w().h.ledger(tx)).toEqual(['charge', 'paid']);
        notificationsAccepted(tx);
      });
    }

    if (f.fraudReview) {
      for (const [decision, outcome, settled] of [
        ['approve', 'succeeded', 'paid'],
        ['deny', 'failed', 'failed'],
      ] as const) {
        it(`the fraud system holds the card for review → pending_review → ${decision} → ${outcome}`, async () => {
          const { orderId, action, tx, follow } = await charge(f, `fds-${decision}`, {
            tokenId: await w().h.customers.cardToken(CARDS.fdsChallenge),
          });
          await threeDs(w(), action, OTP, 'Payment under review');
          const review = await waitFor(orderId, 'paystream.payment.pending_review');
          expect(review.data.verification).toBe('notification+inquiry');
          const decided = payment(await resultOf(await follow(`payment.${decision}`)));
          expect(decided).toMatchObject({ type: `paystream.payment.${outcome}`, data: { verification: 'response' } });
          const events = await w().h.settle(orderId, tx);
          trusted(events);
          expect(events.slice(0, 2).map(kind)).toEqual(['action_required', 'pending_review']);
          expect(new Set(events.slice(2).map((r) => r.event.id))).toEqual(new Set([decided.id]));
          expect(w().h.ledger(tx)).toEqual(['charge', 'challenge', settled]);
          notificationsAccepted(tx);
        });
      }
    }
  });
}
