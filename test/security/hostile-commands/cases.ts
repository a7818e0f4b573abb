// The hostile commands of issue 13, each with the one DLQ code docs/errors.md gives it. Every one is
// a valid charge but for its single defect, so the code it must get is not a matter of which check
// runs first.
import type { PaymentCommand } from '@paystream/contracts';
import { chargeCommand } from '@paystream/test-harness';
import type { OrderIds } from './partition.ts';
import { METHOD, type RawCommand } from './run.ts';

export interface HostileCase extends RawCommand {
  readonly name: string;
  readonly code: string;
  /** The order the command names, when it names one: it must get no payment event. */
  readonly orderId?: string;
  /** The card number it carries, as digits, when it is not one of CARDS. */
  readonly card?: string;
}

/** Card numbers the attack carries (Luhn-valid, of schemes the guard knows): none may come out anywhere. */
export const CARDS = ['4111111111111111', '5211111111111117', '4811111111111114', '378282246310005', '6011111111111117'] as const;
export const spaced = (card: string): string => card.replace(/(\d{4})(?=\d)/g, '$1 ');
export const dashed = (card: string): string => card.replace(/(\d{4})(?=\d)/g, '$1-');

export const KIB = 1024;
export const MIB = 1024 * KIB;

/** A charge of `orderId`, as JSON. */
export const charge = (orderId: string, extra: Record<string, unknown> = {}): PaymentCommand & Record<string, unknown> => ({
  ...chargeCommand({ method: METHOD, orderId }),
  ...extra,
});

/** A charge padded (in `details.pad`) to exactly `bytes` bytes of UTF-8. */
export function paddedCharge(orderId: string, bytes: number): string {
  const bare = JSON.stringify(charge(orderId, { details: { pad: '' } }));
  const missing = bytes - Buffer.byteLength(bare);
  if (missing < 0) throw new RangeError(`a charge is already ${String(Buffer.byteLength(bare))} bytes`);
  return bare.replace('"pad":""', `"pad":"${'x'.repeat(missing)}"`);
}

const keyed = (value: Record<string, unknown> & { orderId: string }): RawCommand => ({ key: value.orderId, value: JSON.stringify(value) });
const W3C = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

/** Invalid UTF-8 (a lone continuation byte, an overlong form) inside JSON that would otherwise parse. */
export function withInvalidUtf8(json: string, marker: string): Buffer {
  const [before, after] = json.split(marker);
  if (after === undefined) throw new RangeError('the marker is not in the JSON');
  return Buffer.concat([Buffer.from(before ?? ''), Buffer.from([0xc3, 0x28, 0x80, 0xc0, 0xaf]), Buffer.from(after)]);
}

/** The first wave: every defect of the issue but reused command ids. */
export function hostileCases(ids: OrderIds, largestDefault: { readonly orderId: string; readonly bytes: number }): HostileCase[] {
  const [visa, master, sandbox, amex, discover] = CARDS;
  const ok = (name: string, code: string, make: (orderId: string) => RawCommand): HostileCase => {
    const orderId = ids.next();
    return { name, code, orderId, ...make(orderId) };
  };
  const card = 'PS_ERR_COMMAND_CARD_DATA';
  const withHeaders = (orderId: string, headers: Record<string, string>): RawCommand => ({ ...keyed(charge(orderId)), headers });
  return [
    ok('unknown merchant', 'PS_ERR_COMMAND_UNKNOWN_MERCHANT', (o) => keyed(charge(o, { merchant: 'nobody' }))),
    ok('key is another order', 'PS_ERR_COMMAND_KEY_MISMATCH', (o) => ({ key: `${o}-other`, value: JSON.stringify(charge(o)) })),
    ok('no key', 'PS_ERR_COMMAND_KEY_MISMATCH', (o) => ({ key: null, value: JSON.stringify(charge(o)) })),
    ok('card in the key', card, (o) => ({ key: spaced(visa), value: JSON.stringify(charge(o)) })),
    ok('card in traceparent', card, (o) => withHeaders(o, { traceparent: spaced(master) })),
    ok('card in correlation-id', card, (o) => withHeaders(o, { 'correlation-id': dashed(sandbox), traceparent: W3C })),
    ok('card in an arbitrary header', card, (o) => withHeaders(o, { 'x-customer-note': `paid with ${amex}` })),
    ok('card as a header name', card, (o) => withHeaders(o, { [discover]: 'x' })),
    ok('card in a nested detail', card, (o) => keyed(charge(o, { details: { note: { lines: [{ text: `card ${spaced(visa)}` }] } } }))),
    ok('card as a JSON number', card, (o) => keyed(charge(o, { details: { reference: Number(master) } }))),
    ok('card as a JSON number in exponent form', card, (o) => ({
      key: o,
      value: JSON.stringify(charge(o, { details: { reference: 1 } })).replace('"reference":1', `"reference":${sandbox}000e-3`),
    })),
    ok('64 KiB + 1 byte', 'PS_ERR_COMMAND_TOO_LARGE', (o) => ({ key: o, value: paddedCharge(o, 64 * KIB + 1) })),
    {
      name: 'the largest value the broker takes by default',
      code: 'PS_ERR_COMMAND_TOO_LARGE',
      orderId: largestDefault.orderId,
      key: largestDefault.orderId,
      value: paddedCharge(largestDefault.orderId, largestDefault.bytes),
    },
    ok('exactly 1 MiB', 'PS_ERR_COMMAND_TOO_LARGE', (o) => ({ key: o, value: paddedCharge(o, MIB) })),
    ok('invalid UTF-8', 'PS_ERR_COMMAND_MALFORMED', (o) => ({ key: o, value: withInvalidUtf8('{"orderId":"@"}', '@') })),
    ok('invalid UTF-8 in a valid charge', 'PS_ERR_COMMAND_MALFORMED', (o) => ({
      key: o,
      value: withInvalidUtf8(JSON.stringify(charge(o, { customer: { firstName: 'Ani@' } })), '@'),
    })),
    ok('not JSON', 'PS_ERR_COMMAND_MALFORMED', (o) => ({ key: o, value: `{"orderId":"${o}", this is not json` })),
    ok('null value', 'PS_ERR_COMMAND_MALFORMED', (o) => ({ key: o, value: null })),
    ok('a 900 KiB key and no value', 'PS_ERR_COMMAND_MALFORMED', (o) => ({ key: `${o}-${'k'.repeat(900 * KIB)}`, value: null })),
    ok('empty value', 'PS_ERR_COMMAND_MALFORMED', (o) => ({ key: o, value: '' })),
    ok('a schema violation', 'PS_ERR_COMMAND_INVALID', (o) => keyed(charge(o, { amount: { value: -150_000, currency: 'IDR' } }))),
    ok('a 5,000-character method', 'PS_ERR_COMMAND_UNKNOWN_METHOD', (o) => keyed(charge(o, { method: 'a'.repeat(5_000) }))),
    ok('an unknown method on a known topic', 'PS_ERR_COMMAND_UNKNOWN_METHOD', (o) => keyed(charge(o, { method: 'teleport' }))),
    ok('another plugin’s method on this topic', 'PS_ERR_COMMAND_UNKNOWN_METHOD', (o) => keyed(charge(o, { method: 'card-3ds' }))),
  ];
}

/** The second wave: command ids of charges already handled, reused with other bodies. */
export function duplicateCases(ids: OrderIds, handled: readonly PaymentCommand[]): HostileCase[] {
  const [first, second] = handled;
  if (!first || !second) throw new RangeError('two handled charges are needed');
  const other = ids.next();
  return [
    {
      name: 'commandId reused for another order',
      code: 'PS_ERR_COMMAND_DUPLICATE_ID',
      orderId: other,
      ...keyed(charge(other, { commandId: first.commandId })),
    },
    {
      name: 'commandId reused for the same order with another amount',
      code: 'PS_ERR_COMMAND_DUPLICATE_ID',
      ...keyed({ ...second, amount: { value: second.amount.value + 1, currency: 'IDR' } }),
    },
  ];
}
