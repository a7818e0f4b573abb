// Notifications nobody should believe, sent to the workers' ingress while real payments go on: a
// genuine notification with its body tampered (another order, another amount, a Core API status
// changed), one signed with a wrong key, one signed with Midtrans' old key after Midtrans rotated and
// the workers revoked it, a validly signed "paid" for an order nobody paid, genuine notifications
// replayed byte for byte (after success, after a refund), and late ones at an earlier status. Each is
// refused (401) or harmless — the status inquiry, not the notification, decides — so no order gets a
// false succeeded and none moves backwards; paid orders whose genuine notification was refused get
// their outcome by inquiry, unpaid ones expire.
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash, createPrivateKey, generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import type {} from '@paystream/kafka-broker/global-setup';
import type { PaymentCommand, PaymentStatus } from '@paystream/contracts';
import type { Tx } from '@paystream/midtrans-sim';
import { startSystem, until, type ForwardedRequest, type PaystreamSystem, type WebhookSettings } from '@paystream/test-harness';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { fingerprintOf, reloads, replaceFile, untilReloaded } from '../src/operator.ts';
import { sized } from '../src/record.ts';
import { conclude, expectClean, runTag } from '../src/scenario.ts';
import { Traffic } from '../src/traffic.ts';

const METHODS = ['gopay', 'qris', 'card-3ds'] as const;
/** Rounds of every attack, each on orders of its own. */
const ROUNDS = sized(1, 4);
const PAID_PER_ROUND = sized(9, 24);

let system: PaystreamSystem | undefined;
const files = { midtrans: ['', ''], revocationList: '' };

beforeAll(async () => {
  system = await startSystem({
    name: 'hostile-webhooks',
    brokers: inject('kafkaBrokers'),
    workers: 2,
    plugins: [...METHODS],
    // Midtrans' retries of a refused notification end within seconds, so each attack is over before the next.
    webhookTimeScale: 6_000,
    configure: (base, dir) => {
      const keys = join(dir, 'worker-keys');
      const midtrans = base.midtransPublicKeyFiles[0];
      if (!midtrans) throw new Error('no Midtrans key in the simulator configuration');
      files.midtrans = [join(keys, 'midtrans-1.pem'), join(keys, 'midtrans-2.pem')];
      files.revocationList = join(keys, 'revoked-keys.txt');
      for (const slot of files.midtrans) copyFileSync(midtrans, slot);
      writeFileSync(files.revocationList, '# SPKI SHA-256 fingerprints of revoked keys\n', { mode: 0o600 });
      return { ...base, midtransPublicKeyFiles: files.midtrans, revocationListFile: files.revocationList };
    },
  });
});

afterAll(async () => {
  await system?.close();
});

const RANK: Record<PaymentStatus, number> = {
  pending: 0,
  action_required: 1,
  pending_review: 2,
  succeeded: 3,
  failed: 3,
  expired: 3,
  canceled: 3,
  refunded: 4,
};

/** The statuses an order's distinct events went through, in the order they were published. */
function statuses(s: PaystreamSystem, orderId: string): PaymentStatus[] {
  return s.results.forOrder(orderId).flatMap(({ event }) => (event.type === 'paystream.command.rejected' ? [] : [event.data.status]));
}

/** Orders whose events ever went to a lower rank (a late or forged notification moving it back). */
function movedBackwards(s: PaystreamSystem, charges: readonly PaymentCommand[]): string[] {
  return charges.flatMap((c) => {
    const seen = statuses(s, c.orderId);
    return seen.some((st, i) => i > 0 && RANK[st] < RANK[seen[i - 1] ?? 'pending']) ? [`${c.orderId}: ${seen.join(' → ')}`] : [];
  });
}

/** A notification as sent to the merchant: path, the headers that carry its signature, and its body. */
interface Notification {
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

const SIGNED_HEADERS = ['content-type', 'x-timestamp', 'x-signature', 'x-partner-id', 'x-external-id', 'channel-id', 'user-agent'];

function asSent(f: ForwardedRequest): Notification {
  return {
    path: f.path,
    headers: Object.fromEntries(SIGNED_HEADERS.flatMap((h) => (f.headers[h] ? [[h, f.headers[h]]] : []))),
    body: f.body,
  };
}

/** Sends a notification to the load balancer in front of the ingress, as anyone on the internet could; returns the HTTP status. */
async function deliver(s: PaystreamSystem, n: Notification): Promise<number> {
  const r = await fetch(`${s.forwarder.url}${n.path}`, { method: 'POST', headers: n.headers, body: n.body });
  await r.arrayBuffer();
  return r.status;
}

/** A BI-SNAP notification signed with a key of our own: a forgery. */
function forged(path: string, body: Record<string, unknown>): Notification {
  const raw = JSON.stringify(body);
  const timestamp = `${new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 19)}+07:00`;
  const key = createPrivateKey(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }));
  const sts = `POST:${path}:${createHash('sha256').update(raw).digest('hex')}:${timestamp}`;
  return {
    path,
    body: raw,
    headers: {
      'content-type': 'application/json',
      'x-timestamp': timestamp,
      'x-signature': sign('RSA-SHA256', Buffer.from(sts), key).toString('base64'),
    },
  };
}

/** The order's transaction at Midtrans (QRIS ones are named by the charge's X-EXTERNAL-ID, found by the reference the worker learnt). */
function transactionOf(s: PaystreamSystem, c: PaymentCommand): Tx {
  const { store } = s.simulator.sim;
  const referenceNo = s.results.paymentEvent(c.orderId, 'paystream.payment.action_required')?.data.midtrans['referenceNo'] ?? '';
  const tx =
    c.method === 'qris'
      ? store.transactions.get(referenceNo)
      : store.find(c.method === 'card-3ds' ? 'core' : 'debit', { partnerReferenceNo: c.orderId });
  if (!tx) throw new Error(`Midtrans has no transaction for ${c.orderId}`);
  return tx;
}

/** The simulator notifies about the order under `settings` (as at `status`); resolves with the answers once its retries are over. */
async function viaMidtrans(
  s: PaystreamSystem,
  settings: WebhookSettings,
  c: PaymentCommand,
  status?: string,
): Promise<(number | string)[]> {
  const { sim, admin } = s.simulator;
  const tx = transactionOf(s, c);
  const from = sim.webhooks.deliveries.length;
  await admin.webhooks(settings);
  try {
    await admin.renotify({ referenceNo: tx.referenceNo }, status);
    await until(
      () => sim.webhooks.outstanding(tx.partnerReferenceNo) === 0,
      () => `notifications about ${c.orderId} still being delivered`,
      { timeoutMs: 60_000 },
    );
  } finally {
    await admin.webhooks(Object.fromEntries(Object.keys(settings).map((k) => [k, false])));
  }
  return sim.webhooks.deliveries
    .slice(from)
    .filter((d) => d.orderId === tx.partnerReferenceNo)
    .map((d) => d.status);
}

/**
 * A genuine notification about the order as it is now, accepted by the workers: Midtrans is asked to
 * send it again (the dashboard's resend), and what reached the ingress is kept, headers and all.
 */
async function genuine(s: PaystreamSystem, c: PaymentCommand, pred: (body: Record<string, unknown>) => boolean): Promise<Notification> {
  const from = s.forwarder.forwarded.length;
  await viaMidtrans(s, {}, c);
  const hit = s.forwarder.forwarded
    .slice(from)
    .find((f) => f.status === 200 && f.body.includes(`"${c.orderId}"`) && pred(JSON.parse(f.body) as Record<string, unknown>));
  if (!hit)
    throw new Error(
      `no accepted notification about ${c.orderId}: ${JSON.stringify(s.forwarder.forwarded.slice(from).map((f) => f.status))}`,
    );
  return asSent(hit);
}

const refundOf = (c: PaymentCommand): PaymentCommand => ({
  ...c,
  commandId: randomUUID(),
  type: 'payment.refund',
  details: {},
  requestedAt: new Date().toISOString(),
});

describe('hostile-webhooks: tampered, mis-signed, revoked-key, replayed and late notifications among real payments', () => {
  it('refuses or shrugs off each one: no false succeeded, no order moved backwards, every real outcome still arrives', async () => {
    const s = system as PaystreamSystem;
    const admin = s.simulator.admin;
    const startedAt = Date.now();
    const traffic = new Traffic(s, { methods: METHODS, tag: runTag('hostile') });
    const log: string[] = [
      `2 workers; ${String(ROUNDS)} rounds of every attack, each round with ${String(PAID_PER_ROUND)} paid orders and unpaid ones over ${METHODS.join(', ')}`,
    ];
    const answers = new Map<string, (number | string)[]>();
    const note = (attack: string, got: number | string | (number | string)[]): void => {
      answers.set(attack, [...(answers.get(attack) ?? []), ...[got].flat()]);
    };
    const unpaid: PaymentCommand[] = [];
    const refunded: PaymentCommand[] = [];
    /** A genuine notification signed with Midtrans' key before it rotated. */
    let beforeRotation: Notification | undefined;
    const reference = (c: PaymentCommand): string =>
      s.results.paymentEvent(c.orderId, 'paystream.payment.action_required')?.data.midtrans['referenceNo'] ?? '';

    for (let round = 0; round < ROUNDS; round++) {
      const paid = await traffic.send(PAID_PER_ROUND);
      const waiting = await traffic.send(6, { pay: false });
      unpaid.push(...waiting);
      await traffic.settled(120_000, 'succeeded', paid);
      await traffic.settled(120_000, 'action_required', waiting);
      const pick = (from: readonly PaymentCommand[], method: string, nth = 0): PaymentCommand => {
        const hit = from.filter((c) => c.method === method)[nth];
        if (!hit) throw new Error(`no ${method} order #${String(nth)} in the round`);
        return hit;
      };
      const [gopayPaid, cardPaid] = [pick(paid, 'gopay'), pick(paid, 'card-3ds')];
      const [uGopay, uQris, uCard] = [pick(waiting, 'gopay'), pick(waiting, 'qris'), pick(waiting, 'card-3ds')];
      const [uGopay2, uQris2, uCard2] = [pick(waiting, 'gopay', 1), pick(waiting, 'qris', 1), pick(waiting, 'card-3ds', 1)];
      const others = paid.filter((c) => c !== gopayPaid && c !== cardPaid);

      // A genuine success, its body changed: about another (unpaid) order, or for another amount.
      const success = await genuine(s, gopayPaid, (b) => b['latestTransactionStatus'] === '00');
      const retarget = success.body
        .replaceAll(gopayPaid.orderId, uGopay.orderId)
        .replace(/"originalReferenceNo":"[^"]*"/, `"originalReferenceNo":"${reference(uGopay)}"`);
      note('tampered body: a genuine success re-aimed at an unpaid order', await deliver(s, { ...success, body: retarget }));
      note(
        'tampered body: a genuine success with another amount',
        await deliver(s, { ...success, body: success.body.replace(/"value":"[0-9.]+"/, '"value":"1.00"') }),
      );

      // Core API: signature_key covers order, status code and amount, not transaction_status.
      const pending = await genuine(s, uCard, (b) => b['transaction_status'] === 'pending');
      note(
        "tampered Core API body: an unpaid card order's pending changed to settlement (signature still valid)",
        await deliver(s, { ...pending, body: pending.body.replace('"transaction_status":"pending"', '"transaction_status":"settlement"') }),
      );
      note(
        'tampered Core API body: status_code 201 changed to 200',
        await deliver(s, {
          ...pending,
          body: pending.body
            .replace('"transaction_status":"pending"', '"transaction_status":"settlement"')
            .replace('"status_code":"201"', '"status_code":"200"'),
        }),
      );
      const cardSuccess = await genuine(
        s,
        cardPaid,
        (b) => b['transaction_status'] === 'capture' || b['transaction_status'] === 'settlement',
      );
      note(
        'tampered Core API body: a genuine card success re-aimed at an unpaid card order',
        await deliver(s, { ...cardSuccess, body: cardSuccess.body.replaceAll(cardPaid.orderId, uCard2.orderId) }),
      );

      // Signed by a key that is not Midtrans': a forged success for an unpaid order.
      const forgedBody = JSON.parse(success.body.replaceAll(gopayPaid.orderId, uGopay2.orderId)) as Record<string, unknown>;
      note(
        'wrong signature: a success forged with a key of our own',
        await deliver(s, forged(success.path, { ...forgedBody, originalReferenceNo: reference(uGopay2) })),
      );
      note(
        'wrong signature: Midtrans signing with a wrong key, "paid" for an unpaid order',
        await viaMidtrans(s, { wrongSignature: true }, uQris, '00'),
      );

      // Midtrans rotates its key (announced first, trusted in the second slot); the workers revoke
      // the old one after the overlap; notifications then signed with the old key are refused.
      if (round === 0) {
        beforeRotation = success;
        const old = s.simulator.sim.credentials.midtransPublicKeyPem;
        const { midtransPublicKeyPem } = (await admin.ok('POST', '/announce-midtrans-key')) as { midtransPublicKeyPem: string };
        let before = reloads(s);
        replaceFile(files.midtrans[1] ?? '', midtransPublicKeyPem);
        await untilReloaded(s, before);
        await admin.ok('POST', '/rotate-midtrans-key');
        before = reloads(s);
        replaceFile(files.revocationList, `# retired by Midtrans ${new Date().toISOString()}\n${fingerprintOf(old)}\n`);
        await untilReloaded(s, before);
        log.push(
          'Midtrans rotated its notification key (announced, trusted in a second key file, then signing with it); the workers then revoked the old key through the revocation list',
        );
      }
      note(
        'revoked key: "paid" for an unpaid order signed with Midtrans\' revoked key',
        await viaMidtrans(s, { retiredKeySignature: true }, uQris2, '00'),
      );
      if (beforeRotation) note('revoked key: a replayed genuine notification signed before the rotation', await deliver(s, beforeRotation));

      // Validly signed by Midtrans, yet untrue: only the status inquiry decides.
      note('valid signature, untrue: "paid" for an unpaid order', await viaMidtrans(s, {}, uGopay, '00'));

      // Replays and late deliveries of genuine notifications.
      const fresh = await genuine(s, cardPaid, (b) => b['transaction_status'] === 'capture' || b['transaction_status'] === 'settlement');
      for (let i = 0; i < 3; i++) note('replay: a genuine card success, byte for byte', await deliver(s, fresh));
      for (const c of others.slice(0, 3)) note('late: a paid order notified again as pending', await viaMidtrans(s, {}, c, '03'));
      for (const c of others.slice(3, 5))
        note('duplicates: a paid order notified twice at once', await viaMidtrans(s, { duplicate: true }, c));

      // A refund, then the success notification of before replayed: the order stays refunded.
      const refund = refundOf(cardPaid);
      await s.upstream.send([refund]);
      refunded.push(cardPaid);
      await traffic.settled(120_000, 'refunded', [cardPaid]);
      note('replay after a refund: the card success of before', await deliver(s, fresh));
      note('late after a refund: the card order notified again as paid', await viaMidtrans(s, {}, cardPaid, '00'));
    }

    // Orders paid while Midtrans' notifications are refused still get their real outcome, by inquiry.
    const paidUnderAttack = await traffic.send(METHODS.length, { pay: false });
    await traffic.settled(120_000, 'action_required', paidUnderAttack);
    await admin.webhooks({ wrongSignature: true });
    for (const c of paidUnderAttack) {
      const asked = s.results.paymentEvent(c.orderId, 'paystream.payment.action_required');
      if (asked) await s.customers.pay(asked);
    }
    await until(
      () => paidUnderAttack.every((c) => s.simulator.sim.webhooks.outstanding(c.orderId) === 0),
      () => 'notifications of the orders paid under attack still being delivered',
      { timeoutMs: 60_000 },
    );
    await admin.webhooks({ wrongSignature: false });
    await traffic.settled(120_000, 'succeeded', paidUnderAttack);
    const snapUnderAttack = paidUnderAttack.filter((c) => c.method !== 'card-3ds');
    for (const c of snapUnderAttack) {
      const tx = transactionOf(s, c);
      note(
        'wrong signature: the genuine success of an order paid meanwhile',
        s.simulator.sim.webhooks.deliveries.filter((d) => d.orderId === tx.partnerReferenceNo).map((d) => d.status),
      );
    }
    log.push(
      `${String(paidUnderAttack.length)} orders paid while Midtrans signed its BI-SNAP notifications with a wrong key: refused, and succeeded by the reconciler's inquiry all the same`,
    );

    // The unpaid orders end as Midtrans ends them.
    for (const c of unpaid) await admin.ok('POST', '/expire', { referenceNo: transactionOf(s, c).referenceNo });
    await traffic.settled(120_000, 'expired', unpaid);
    const paidOrders = traffic.charges.filter((c) => !unpaid.includes(c));
    await traffic.settled(120_000, 'succeeded', paidOrders);

    for (const [attack, got] of answers) log.push(`${attack}: answered ${[...new Set(got)].join(', ')} (${String(got.length)} deliveries)`);
    const figures = conclude(s, {
      scenario: 'hostile-webhooks',
      charges: traffic.charges,
      startedAt,
      faults: log,
      expected: (c) => (unpaid.includes(c) ? 'expired' : 'succeeded'),
    });
    expectClean(figures);
    expect(movedBackwards(s, traffic.charges)).toEqual([]);
    expect(
      refunded
        .filter((c) => statuses(s, c.orderId).at(-1) !== 'refunded')
        .map((c) => `${c.orderId}: ${statuses(s, c.orderId).join(' → ')}`),
    ).toEqual([]);
    expect(unpaid.filter((c) => statuses(s, c.orderId).includes('succeeded')).map((c) => c.orderId)).toEqual([]);
    // Their outcome came from the reconciler's inquiry: no notification about them was believed.
    expect(snapUnderAttack.map((c) => s.results.paymentEvent(c.orderId, 'paystream.payment.succeeded')?.data.verification)).toEqual(
      snapUnderAttack.map(() => 'inquiry'),
    );
    const refusedAttacks = [...answers].filter(([a]) =>
      /^(tampered body|wrong signature|revoked key|tampered Core API body: (status_code|a genuine))/.test(a),
    );
    expect(refusedAttacks.filter(([, got]) => got.some((g) => g !== 401)).map(([a, got]) => `${a}: ${got.join(', ')}`)).toEqual([]);
  });
});
