// Random hostile commands, reproducible from a seed: each is a valid charge but for one defect drawn
// at random (so its DLQ code is known), carrying random junk in traceparent, correlation-id and
// headers of its own. What varies is what an attacker controls — merchant names, keys, methods,
// header values, bytes — so a worker that turns any of it into a metric label grows a series per
// command.
import fc from 'fast-check';
import type { PaymentCommand } from '@paystream/contracts';
import { pan, writtenPan } from '../properties/arbitraries.ts';
import { charge, paddedCharge, KIB, type HostileCase } from './cases.ts';
import type { OrderIds } from './partition.ts';
import { METHOD } from './run.ts';

/** Builds the command once its order id is drawn; `handled` are charges already done (for reused ids). */
type Blueprint = (orderId: string, handled: readonly PaymentCommand[]) => HostileCase;

/** Text an attacker controls, without digits: a card may only come from the card defect. */
const junk = (maxLength: number): fc.Arbitrary<string> =>
  fc.string({ unit: 'binary', maxLength }).map((s) => s.replace(/\p{Nd}/gu, '').replace(/[\uD800-\uDFFF]/g, ''));
const kebab = (max: number): fc.Arbitrary<string> =>
  fc.array(fc.stringMatching(/^[a-z]{1,12}$/), { minLength: 1, maxLength: Math.max(1, Math.floor(max / 13)) }).map((p) => p.join('-'));

const headers: fc.Arbitrary<Record<string, string>> = fc.record(
  { traceparent: junk(80), 'correlation-id': junk(300), 'x-attacker': junk(40) },
  { requiredKeys: [] },
);

const json = (o: string, extra: Record<string, unknown> = {}): string => JSON.stringify(charge(o, extra));
const one =
  (name: string, code: string, make: (o: string, handled: readonly PaymentCommand[]) => Omit<HostileCase, 'name' | 'code'>) =>
  (o: string, handled: readonly PaymentCommand[]): HostileCase => ({ name, code, orderId: o, ...make(o, handled) });

/** A charge carrying the card in the key, a header, a nested detail or as a JSON number. */
function carrying(card: string, where: string, o: string): Omit<HostileCase, 'name' | 'code'> {
  if (where === 'key') return { key: card, value: json(o) };
  if (where === 'detail') return { key: o, value: json(o, { details: { a: [{ b: { note: card } }] } }) };
  // The number written as its digits: past 2^53 a JS number would no longer be the card.
  if (where === 'number') return { key: o, value: json(o, { details: { n: 0 } }).replace('"n":0', `"n":${card.replace(/\D/g, '')}`) };
  return { key: o, value: json(o), headers: { [where]: card } };
}

const defects: fc.Arbitrary<Blueprint>[] = [
  kebab(40)
    .filter((m) => m !== 'default')
    .map((merchant) =>
      one('random unknown merchant', 'PS_ERR_COMMAND_UNKNOWN_MERCHANT', (o) => ({ key: o, value: json(o, { merchant }) })),
    ),
  fc
    .oneof(
      junk(60).map((k) => `~${k}`),
      fc.uint8Array({ minLength: 1, maxLength: 40 }).map((b) => Buffer.from(b.map((x) => x | 0x80))),
    )
    .map((key) => one('random key ≠ orderId', 'PS_ERR_COMMAND_KEY_MISMATCH', (o) => ({ key, value: json(o) }))),
  fc
    .tuple(pan.chain(writtenPan), fc.constantFrom('key', 'traceparent', 'correlation-id', 'x-note', 'detail', 'number'))
    .map(([card, where]) =>
      one(`random card in ${where}`, 'PS_ERR_COMMAND_CARD_DATA', (o) => ({ card: card.replace(/\D/g, ''), ...carrying(card, where, o) })),
    ),
  fc
    .oneof({ arbitrary: kebab(60), weight: 9 }, { arbitrary: kebab(5_000), weight: 1 })
    .filter((m) => m !== METHOD)
    .map((method) => one('random method', 'PS_ERR_COMMAND_UNKNOWN_METHOD', (o) => ({ key: o, value: json(o, { method }) }))),
  fc
    .oneof(
      fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.concat([Buffer.from([0xff]), b])),
      junk(200).map((s) => `${s} {`),
      fc.constant(null),
    )
    .map((value) => one('random malformed bytes', 'PS_ERR_COMMAND_MALFORMED', (o) => ({ key: o, value }))),
  fc
    .constantFrom(
      { commandId: 'not-a-uuid' },
      { type: 'payment.teleport' },
      { amount: { value: -1, currency: 'IDR' } },
      { requestedAt: 'yesterday' },
    )
    .map((wrong) => one('random schema violation', 'PS_ERR_COMMAND_INVALID', (o) => ({ key: o, value: json(o, wrong) }))),
  fc.nat().map((n) =>
    one('reused commandId', 'PS_ERR_COMMAND_DUPLICATE_ID', (o, handled) => {
      const original = handled[n % handled.length];
      if (!original) throw new RangeError('no handled charge to reuse');
      return { key: o, value: json(o, { commandId: original.commandId }) };
    }),
  ),
];

const blueprint: fc.Arbitrary<{ make: Blueprint; junkHeaders: Record<string, string> }> = fc.record({
  make: fc.oneof(...defects.map((arbitrary) => ({ arbitrary, weight: 10 })), {
    arbitrary: fc
      .integer({ min: 64 * KIB + 1, max: 68 * KIB })
      .map((bytes) => one('random oversized value', 'PS_ERR_COMMAND_TOO_LARGE', (o) => ({ key: o, value: paddedCharge(o, bytes) }))),
    weight: 1,
  }),
  junkHeaders: headers,
});

/** `count` random hostile commands from `seed`; headers of the defect win over the junk ones. */
export function randomHostile(seed: number, count: number, ids: OrderIds, handled: readonly PaymentCommand[]): HostileCase[] {
  return fc.sample(blueprint, { seed, numRuns: count }).map(({ make, junkHeaders }) => {
    const c = make(ids.next(), handled);
    return { ...c, headers: { ...junkHeaders, ...(c.headers as Record<string, string> | undefined) } };
  });
}
