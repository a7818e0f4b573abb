// The dispatcher under generated commands, keys and headers (dispatch-arbitraries.ts), with a plugin
// that answers, throws anything, or finds Midtrans unavailable a few times: `handle` never throws,
// and every message ends in exactly one way — its result (or an answer the order may not take), or
// one DLQ record with a catalogue code and a rejected event when its order is known — after any
// retries of the very same command. No card number leaves in a record, header, DLQ payload, log call
// or outcome, and every metric label is of a closed set.
import { randomBytes } from 'node:crypto';
import { DlqRecord, dlqPayload, PaymentStatus, ResultEvent } from '@paystream/contracts';
import { codes, aesKeyId, EventSigner, FieldCipher, MidtransError, type MidtransApi } from '@paystream/core';
import type { OperationContext, PaymentMethodPlugin, PaymentUpdate } from '@paystream/plugin-sdk';
import {
  COMMAND_BINDING_PREFIX,
  commandBindingField,
  containsCardNumber,
  Dispatcher,
  emptyOrderState,
  mergeState,
  outcomeLabel,
  REFUSAL_CODES,
  type DispatcherDeps,
  type OutMessage,
  type OrderState,
  type Outcome,
  type Publisher,
} from '@paystream/runtime';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { describeFindings, secretScanner } from '../src/secret-scan.ts';
import { hostileCase, type Case, type PluginBehaviour } from './dispatch-arbitraries.ts';

const TOPIC = 'paystream.commands.gopay';
const LABELS = new Set<string>([...PaymentStatus.options, 'ignored', ...REFUSAL_CODES]);

/** The order state in memory, merged and indexed as OrderReferences does. */
function memoryOrders(): NonNullable<DispatcherDeps['orders']> {
  const states = new Map<string, OrderState>();
  const commands = new Map<string, string>();
  return {
    get: (orderId) => states.get(orderId) ?? emptyOrderState(),
    change: (orderId, change) => {
      const merged = mergeState(states.get(orderId), change);
      return { merged, record: { topic: 'paystream.orders.state', key: orderId, value: JSON.stringify(merged) } };
    },
    applied: (orderId, merged) => {
      states.set(orderId, merged);
      for (const key of Object.keys(merged.commands)) commands.set(COMMAND_BINDING_PREFIX + key, orderId);
    },
    orderOfCommand: (commandId) => commands.get(commandBindingField(commandId)),
  };
}

interface World {
  readonly d: Dispatcher;
  readonly sent: OutMessage[];
  readonly outcomes: Outcome[];
  /** What the worker would log: every argument of the dispatcher's listeners. */
  readonly logs: string[];
  readonly calls: OperationContext<unknown>[];
  readonly keys: ReadonlyMap<string, Uint8Array>;
  behaviour: PluginBehaviour;
  failuresLeft: number;
}

function world(): World {
  const key = randomBytes(32);
  const operation = (ctx: OperationContext<unknown>): Promise<PaymentUpdate> => {
    w.calls.push(ctx);
    const b = w.behaviour;
    // A plugin may throw anything, errors or not: that is what is tested.
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
    if (b.kind === 'throw') return Promise.reject(b.thrown);
    if (b.kind === 'unavailable' && w.failuresLeft-- > 0)
      return Promise.reject(
        new MidtransError('retriable', codes.PS_ERR_MIDTRANS_UNAVAILABLE, {
          path: '/v1.0/debit/status',
          attempts: 3,
          last: 'ECONNREFUSED',
        }),
      );
    return Promise.resolve({
      status: b.status,
      references: { referenceNo: 'ref-1' },
      ...(b.kind === 'answer' && b.amount ? { amount: b.amount } : {}),
    });
  };
  const plugin = {
    method: 'gopay',
    topic: TOPIC,
    api: 'snap',
    details: z.strictObject({ note: z.string().optional() }),
    customerAuthentication: { description: 'in the app', factors: ['PIN', 'device possession'] },
    operations: { charge: operation, status: operation, cancel: operation, refund: operation },
    notifications: {},
    pendingTimeoutMs: 60_000,
  } as unknown as PaymentMethodPlugin;
  const sent: OutMessage[] = [];
  const publisher = { send: (records: readonly OutMessage[]) => (sent.push(...records), Promise.resolve()) } as unknown as Publisher;
  const log = (value: unknown): number =>
    w.logs.push(JSON.stringify(value, (_k, v: unknown) => (v instanceof Error ? { name: v.name, message: v.message } : v)));
  const d = new Dispatcher({
    plugins: new Map([['gopay', plugin]]),
    midtrans: {} as MidtransApi,
    publisher,
    crypto: { signer: EventSigner.generate().signer, cipher: new FieldCipher([key]), source: 'paystream/property' },
    orders: memoryOrders(),
    retryBaseMs: 1,
    retryMaxMs: 2,
    merchantKnown: (m) => m === undefined || m === 'shop',
    onOutcome: (o) => (w.outcomes.push(o), log(o)),
    onError: (err) => log(err),
    onMidtransError: (err, p, command) => log({ err, method: p.method, orderId: command.orderId, commandId: command.commandId }),
  });
  const w: World = {
    d,
    sent,
    outcomes: [],
    logs: [],
    calls: [],
    keys: new Map([[aesKeyId(key), key]]),
    behaviour: { kind: 'answer', status: 'pending' },
    failuresLeft: 0,
  };
  return w;
}

/** How each message ended, over the whole run: every way must have been exercised. */
const seen = new Map<string, number>();
const count = (ending: string): void => void seen.set(ending, (seen.get(ending) ?? 0) + 1);

/** Handles one message and checks that it ended in exactly one of the allowed ways. */
async function handleOne(w: World, c: Case, offset: number): Promise<void> {
  const [sentBefore, outcomesBefore, callsBefore] = [w.sent.length, w.outcomes.length, w.calls.length];
  w.behaviour = c.plugin;
  w.failuresLeft = c.plugin.kind === 'unavailable' ? c.plugin.times : 0;
  const message = { key: c.key, value: c.value, headers: c.headers, offset: String(offset), timestamp: String(Date.now()), attributes: 0 };
  await expect(w.d.handle({ topic: TOPIC, partition: 0, message })).resolves.toBeUndefined();

  const sent = w.sent.slice(sentBefore);
  const outcomes = w.outcomes.slice(outcomesBefore);
  const calls = w.calls.slice(callsBefore);
  expect(outcomes).toHaveLength(1);
  const outcome = outcomes[0] as Outcome;
  expect(['gopay', 'unknown']).toContain(outcome.method);
  expect(LABELS.has(outcomeLabel(outcome))).toBe(true);

  const dlq = sent.filter((r) => r.topic === `${TOPIC}.dlq`).map((r) => DlqRecord.parse(JSON.parse(r.value ?? 'null')));
  const events = sent.filter((r) => r.topic === 'paystream.results').map((r) => ResultEvent.parse(JSON.parse(r.value ?? 'null')));
  if (outcome.kind === 'refused') {
    expect(dlq.map((r) => r.code)).toEqual([outcome.code]);
    expect(events.map((e) => e.type)).toEqual(outcome.orderId ? ['paystream.command.rejected'] : []);
  } else {
    expect(dlq).toEqual([]);
    expect(events.map((e) => e.type)).toEqual(outcome.kind === 'result' ? [`paystream.payment.${outcome.status}`] : []);
  }
  // Midtrans unavailable: the very same command again until it answers, never a refusal for it.
  if (c.plugin.kind === 'unavailable' && calls.length > 0) {
    expect(calls).toHaveLength(c.plugin.times + 1);
    expect(new Set(calls.map((ctx) => JSON.stringify([ctx.command, ctx.ids.externalId, ctx.ids.idempotencyKey]))).size).toBe(1);
    expect(outcome.kind).not.toBe('refused');
  }
  if (c.plugin.kind === 'throw' && calls.length > 0)
    expect(outcome).toMatchObject({ kind: 'refused', code: 'PS_ERR_COMMAND_HANDLER_FAILED' });

  count(outcome.kind === 'refused' ? outcome.code : outcome.kind);
  if (c.plugin.kind === 'unavailable' && calls.length > 0) count('retried');
  if (c.cards.length > 0) count('carried a card');

  const emitted = [...sent.map((r) => JSON.stringify(r)), ...dlq.map((r) => dlqPayload(r, w.keys)), ...w.logs].join('\n');
  expect(describeFindings(secretScanner({ cardNumbers: c.cards }).scan(emitted))).toEqual([]);
  if (c.cards.length > 0) expect(containsCardNumber(emitted)).toBe(false);
}

describe('the dispatcher under generated hostile commands', () => {
  it('never throws, ends every message exactly once, leaks no card and labels only from closed sets', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(hostileCase, { minLength: 1, maxLength: 4 }), async (cases) => {
        const w = world();
        let offset = 0;
        for (const c of cases) {
          w.logs.length = 0;
          await handleOne(w, c, offset++);
        }
      }),
      { numRuns: 150 },
    );
    for (const ending of [
      'result',
      'retried',
      'carried a card',
      'PS_ERR_COMMAND_CARD_DATA',
      'PS_ERR_COMMAND_HANDLER_FAILED',
      'PS_ERR_COMMAND_MALFORMED',
      'PS_ERR_COMMAND_KEY_MISMATCH',
    ])
      expect(seen.get(ending) ?? 0, ending).toBeGreaterThan(0);
  });
});
