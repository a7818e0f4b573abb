// PaymentCommand against hostile input: safeParse never throws, never pollutes Object.prototype, and
// never accepts what the contract forbids — amounts out of bounds or of the wrong type, order ids
// outside Midtrans' charset (however the characters are disguised), unknown or prototype keys.
import { CommandType, MAX_AMOUNT_IDR, PaymentCommand } from '@paystream/contracts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hostileValue, PROTO_KEYS, prototypeShape, trickyString } from './arbitraries.ts';

const ORDER_ID = /^[A-Za-z0-9\-_~.]{1,50}$/;
const TOP_KEYS = ['commandId', 'type', 'method', 'orderId', 'merchant', 'amount', 'customer', 'details', 'requestedAt'];

const validCommand = fc.record({
  commandId: fc.uuid({ version: 4 }),
  type: fc.constantFrom(...CommandType.options),
  method: fc.constantFrom('gopay', 'card-3ds', 'va'),
  orderId: fc.stringMatching(ORDER_ID),
  amount: fc.record({ value: fc.integer({ min: 1, max: MAX_AMOUNT_IDR }), currency: fc.constant('IDR') }),
  details: fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
  requestedAt: fc.date({ min: new Date('2020-01-01'), max: new Date('2040-01-01'), noInvalidDate: true }).map((d) => d.toISOString()),
});

/** Every object reachable from a value has an ordinary prototype (or none). */
function ordinary(value: unknown, seen = new Set<unknown>()): boolean {
  if (value === null || typeof value !== 'object' || seen.has(value)) return true;
  seen.add(value);
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== Array.prototype && proto !== null) return false;
  return Object.values(value).every((v) => ordinary(v, seen));
}

const shape = prototypeShape();
const parse = (input: unknown): ReturnType<typeof PaymentCommand.safeParse> => {
  const result = PaymentCommand.safeParse(input);
  expect(prototypeShape()).toBe(shape);
  expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  return result;
};

describe('PaymentCommand under hostile input', () => {
  it('accepts the valid commands the properties below disturb', () => {
    fc.assert(
      fc.property(validCommand, (c) => {
        expect(parse(c).success).toBe(true);
      }),
    );
  });

  it('never throws and never pollutes, whatever the input and wherever it is put', () => {
    fc.assert(
      fc.property(validCommand, fc.constantFrom(undefined, ...TOP_KEYS, ...PROTO_KEYS), hostileValue, (c, field, value) => {
        const input = field === undefined ? value : (JSON.parse(JSON.stringify({ ...c, [field]: null })) as Record<string, unknown>);
        if (field !== undefined) Object.defineProperty(input, field, { value, enumerable: true, configurable: true, writable: true });
        expect(() => parse(input)).not.toThrow();
      }),
      { numRuns: 500 },
    );
  });

  it('accepts only whole rupiah from 1 to the Midtrans maximum, as a JSON number', () => {
    const bad = fc.oneof(
      fc.integer({ max: 0 }),
      fc.integer({ min: MAX_AMOUNT_IDR + 1, max: Number.MAX_SAFE_INTEGER }),
      fc.double({ noInteger: true }),
      fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, -0, 1e15, MAX_AMOUNT_IDR + 0.5),
      fc.integer({ min: 1, max: MAX_AMOUNT_IDR }).map((n) => String(n)),
      fc.integer({ min: 1, max: 999 }).map((n) => String(n).replace(/[0-9]/g, (d) => String.fromCharCode(0xff10 + Number(d)))),
      fc.constantFrom(null, true, [], {}, { value: 1 }),
    );
    fc.assert(
      fc.property(validCommand, bad, (c, value) => {
        expect(parse({ ...c, amount: { value, currency: 'IDR' } }).success).toBe(false);
      }),
    );
    fc.assert(
      fc.property(
        validCommand,
        fc.string().filter((s) => s !== 'IDR'),
        (c, currency) => {
          expect(parse({ ...c, amount: { ...c.amount, currency } }).success).toBe(false);
        },
      ),
    );
  });

  it('accepts an order id only in the Midtrans charset, however the characters are disguised', () => {
    fc.assert(
      fc.property(validCommand, trickyString, (c, orderId) => {
        expect(parse({ ...c, orderId }).success).toBe(ORDER_ID.test(orderId));
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(
        validCommand,
        fc.stringMatching(/^[A-Za-z0-9]{1,40}$/),
        fc.nat(40),
        fc.constantFrom('\uff10', '\u200d', '\u202e', '\u0435', '\u0301', ' ', '/', '%', '\n'),
        (c, id, at, trick) => {
          const disguised = id.slice(0, at) + trick + id.slice(at);
          expect(parse({ ...c, orderId: disguised }).success).toBe(false);
        },
      ),
    );
  });

  it('refuses unknown keys, prototype keys included, at every strict level', () => {
    const known = [...TOP_KEYS, 'value', 'currency', 'firstName', 'lastName', 'email', 'phone'];
    const keys = fc.oneof(
      fc.constantFrom(...PROTO_KEYS),
      fc.string({ minLength: 1, maxLength: 12 }).filter((k) => !known.includes(k)),
    );
    fc.assert(
      fc.property(
        validCommand,
        keys,
        fc.constantFrom('top', 'amount', 'customer'),
        fc.jsonValue({ maxDepth: 1 }),
        (c, key, level, value) => {
          const text = JSON.stringify({ ...c, customer: { firstName: 'Ani' } });
          const at = level === 'top' ? text.lastIndexOf('}') : text.indexOf('}', text.indexOf(`"${level}":`));
          const input: unknown = JSON.parse(
            `${text.slice(0, at)},${JSON.stringify(key)}:${JSON.stringify(value ?? null)}${text.slice(at)}`,
          );
          expect(parse(input).success).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keeps prototype keys inside details as inert data, never as a prototype', () => {
    fc.assert(
      fc.property(validCommand, fc.constantFrom(...PROTO_KEYS), fc.integer({ min: 0, max: 6 }), (c, key, depth) => {
        let nested = `{${JSON.stringify(key)}:{"secure":false,"polluted":true}}`;
        for (let i = 0; i < depth; i++) nested = `{"x":${nested}}`;
        const input = JSON.parse(JSON.stringify(c)) as Record<string, unknown>;
        input['details'] = JSON.parse(nested);
        const result = parse(input);
        if (result.success) {
          expect(ordinary(result.data)).toBe(true);
          expect(result.data.details['polluted']).toBeUndefined();
        }
      }),
    );
  });
});
