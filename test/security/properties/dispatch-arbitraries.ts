// Kafka messages for the dispatcher property: commands valid and hostile (card numbers anywhere,
// wrong types, reused commandIds, unknown merchants and methods, huge, not UTF-8, not JSON, no
// value), the keys they arrive under and the headers they carry, and what the plugin then does.
import { randomUUID } from 'node:crypto';
import { CommandType, DlqHeaders, PaymentStatus } from '@paystream/contracts';
import fc from 'fast-check';
import { pan, writtenPan } from './arbitraries.ts';

export interface Case {
  readonly value: Buffer | null;
  readonly key: Buffer | null;
  readonly headers: Record<string, string | Buffer | (string | Buffer)[]>;
  readonly plugin: PluginBehaviour;
  /** Every card number placed anywhere in the message. */
  readonly cards: readonly string[];
}

export type PluginBehaviour =
  | { readonly kind: 'answer'; readonly status: PaymentStatus; readonly amount?: number }
  | { readonly kind: 'throw'; readonly thrown: unknown }
  | { readonly kind: 'unavailable'; readonly times: number; readonly status: PaymentStatus };

/** A few orders and commandIds only, so commands of one run meet: charged orders, reused ids. */
const ORDERS = ['o-1', 'o-2', 'o-3'];
const COMMAND_IDS = [randomUUID(), randomUUID(), randomUUID()];

const card = pan.chain((p) => writtenPan(p).map((written) => ({ card: p, written })));

const baseCommand = fc.record({
  commandId: fc.oneof(fc.constantFrom(...COMMAND_IDS), fc.uuid({ version: 4 })),
  type: fc.constantFrom(...CommandType.options),
  method: fc.oneof({ weight: 9, arbitrary: fc.constant('gopay') }, fc.constant('teleport')),
  orderId: fc.constantFrom(...ORDERS),
  merchant: fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, fc.constantFrom('shop', 'nobody')),
  amount: fc.record({ value: fc.integer({ min: 1, max: 1_000_000 }), currency: fc.constant('IDR') }),
  details: fc.oneof({ weight: 6, arbitrary: fc.constantFrom({}, { note: 'ring twice' }) }, fc.constantFrom({ secure: false }, { note: 7 })),
  requestedAt: fc.constant(new Date().toISOString()),
});

type Fields = Record<string, unknown>;

/** A key or header value that holds no card. */
const cardlessKey = (key: Buffer | null): { key: Buffer | null; cards: string[] } => ({ key, cards: [] });
const cardlessValue = (value: string): { value: string; cards: string[] } => ({ value, cards: [] });
type Mutation = (fields: Fields) => { text: string; cards: string[] };

const asText = (fields: Fields): { text: string; cards: string[] } => ({ text: JSON.stringify(fields), cards: [] });

/** What hostile senders do to a command, as text. */
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 12, arbitrary: fc.constant(asText) },
  card.map(({ card: c, written }) => (f: Fields) => ({ text: JSON.stringify({ ...f, details: { note: `pay ${written}` } }), cards: [c] })),
  card.map(({ card: c }) => (f: Fields) => ({ text: JSON.stringify({ ...f, orderId: c }), cards: [c] })),
  card.map(({ card: c }) => (f: Fields) => ({
    text: JSON.stringify({ ...f, details: { n: 0 } }).replace('"n":0', `"n":${c}000e-3`),
    cards: [c],
  })),
  card.map(({ card: c }) => (f: Fields) => ({ text: JSON.stringify({ ...f, method: c }), cards: [c] })),
  fc.tuple(fc.constantFrom('commandId', 'type', 'orderId', 'amount', 'details', 'merchant'), fc.jsonValue({ maxDepth: 2 })).map(
    ([k, v]) =>
      (f: Fields) =>
        asText({ ...f, [k]: v }),
  ),
  fc.constant((f: Fields) => asText({ ...f, method: `m${'-a'.repeat(2_500)}` })),
  fc.constant((f: Fields) => asText({ ...f, details: { pad: 'x'.repeat(70 * 1024) } })),
  fc.nat(40).map((n) => (f: Fields) => ({ text: JSON.stringify(f).slice(0, n), cards: [] })),
);

/** The value as bytes: the text, or bytes that are not UTF-8, or none at all. */
const valueOf = (text: string): fc.Arbitrary<Buffer | null> =>
  fc.oneof(
    { weight: 18, arbitrary: fc.constant(Buffer.from(text)) },
    fc.constant(Buffer.concat([Buffer.from(text.slice(0, 20)), Buffer.from([0xff, 0xfe, 0xc3])])),
    fc.constant(null),
  );

const keyOf = (orderId: unknown): fc.Arbitrary<{ key: Buffer | null; cards: string[] }> =>
  fc.oneof(
    { weight: 16, arbitrary: fc.constant(cardlessKey(typeof orderId === 'string' ? Buffer.from(orderId) : null)) },
    fc.constantFrom(...ORDERS).map((o) => cardlessKey(Buffer.from(o))),
    fc.constant(cardlessKey(null)),
    fc.constant(cardlessKey(Buffer.from([0xff, 0x00]))),
    card.map(({ card: c, written }) => ({ key: Buffer.from(written), cards: [c] })),
  );

const headerValue: fc.Arbitrary<{ value: string; cards: string[] }> = fc.oneof(
  { weight: 6, arbitrary: fc.constant(cardlessValue('req-42')) },
  fc.constant(cardlessValue('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01')),
  fc.string({ maxLength: 200 }).map(cardlessValue),
  fc.constant(cardlessValue('z'.repeat(5_000))),
  fc.constantFrom('1e300', '2', '2026-01-02T03:04:05.000Z').map(cardlessValue),
  { weight: 1, arbitrary: card.map(({ card: c, written }) => ({ value: written, cards: [c] })) },
);

const headersOf: fc.Arbitrary<{ headers: Case['headers']; cards: string[] }> = fc
  .uniqueArray(
    fc.tuple(fc.constantFrom('traceparent', 'correlation-id', 'x-note', DlqHeaders.attempts, DlqHeaders.firstSeen), headerValue),
    {
      maxLength: 3,
      selector: ([name]) => name,
    },
  )
  .map((entries) => ({
    headers: Object.fromEntries(entries.map(([name, v]) => [name, v.value])),
    cards: entries.flatMap(([, v]) => v.cards),
  }));

const thrown: fc.Arbitrary<unknown> = fc.oneof(
  fc.string().map((s) => new Error(s)),
  card.map(({ written }) => new TypeError(`cannot read ${written}`)),
  card.map(({ written }) => `raw ${written}`),
  fc.jsonValue({ maxDepth: 2 }),
  fc.constant(null),
);

const pluginBehaviour: fc.Arbitrary<PluginBehaviour> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('answer' as const), status: fc.constantFrom(...PaymentStatus.options) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('answer' as const),
      status: fc.constantFrom(...PaymentStatus.options),
      amount: fc.integer({ min: 1, max: 1_000_000 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('throw' as const), thrown }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('unavailable' as const),
      times: fc.integer({ min: 1, max: 3 }),
      status: fc.constantFrom(...PaymentStatus.options),
    }),
  },
);

export const hostileCase: fc.Arbitrary<Case> = fc.tuple(baseCommand, mutation).chain(([fields, mutate]) => {
  const { text, cards } = mutate(fields);
  return fc.record({ value: valueOf(text), key: keyOf(fields.orderId), headers: headersOf, plugin: pluginBehaviour }).map((c) => ({
    value: c.value,
    key: c.key.key,
    headers: c.headers.headers,
    plugin: c.plugin,
    cards: [...cards, ...c.key.cards, ...c.headers.cards],
  }));
});
