// checkCommand is pure: one consumed record in, the first failed check's refusal or the command
// accepted out, with nothing written and no plugin operation run.
import type { IHeaders } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { command, commandFields, fakePlugin, message, TOPIC } from '../../test/dispatch-fakes.ts';
import { checkCommand, type CommandRules } from './command-checks.ts';

const CARD = '4811111111111114';
const { plugin, calls } = fakePlugin();
const rules: CommandRules = { plugins: new Map([['gopay', plugin]]), merchantKnown: (m) => m === undefined || m === 'shop' };

const check = (value: string | Buffer | null, key: string | null = 'o-1', headers: IHeaders = {}, topic = TOPIC) =>
  checkCommand({ topic, partition: 0, message: message(value, key, headers) }, rules);
const codeOf = (r: ReturnType<typeof check>): string | undefined => ('code' in r ? r.code : undefined);

describe('checkCommand', () => {
  it('accepts a valid command with its details as the plugin parsed them, and as sent', () => {
    const checked = check(command({ details: { note: 'hi' } }));
    expect(checked).toMatchObject({ op: 'charge', plugin, sentDetails: { note: 'hi' }, command: { details: { note: 'hi' } } });
    expect(calls).toEqual([]);
  });

  it('refuses card data in the key, a header or the value before anything else, naming only safe identifiers', () => {
    expect(codeOf(check(command(), CARD))).toBe('PS_ERR_COMMAND_CARD_DATA');
    expect(codeOf(check(command(), 'o-1', { note: `card ${CARD}` }))).toBe('PS_ERR_COMMAND_CARD_DATA');
    const inValue = check(`${command({ details: { note: CARD } }).slice(0, -1)}, oops`);
    expect(inValue).toMatchObject({ code: 'PS_ERR_COMMAND_CARD_DATA' });
    expect(JSON.stringify(inValue)).not.toContain(CARD);
  });

  it('refuses what is no command: no value, not UTF-8, not JSON, not the schema', () => {
    expect(codeOf(check(null))).toBe('PS_ERR_COMMAND_MALFORMED');
    expect(codeOf(check(Buffer.from([0xff, 0xfe, 0x7b])))).toBe('PS_ERR_COMMAND_MALFORMED');
    expect(codeOf(check('{"orderId":'))).toBe('PS_ERR_COMMAND_MALFORMED');
    expect(codeOf(check(JSON.stringify({ ...commandFields(), amount: 'lots' })))).toBe('PS_ERR_COMMAND_INVALID');
  });

  it('refuses a command not keyed by its order id', () => {
    expect(codeOf(check(command(), 'o-2'))).toBe('PS_ERR_COMMAND_KEY_MISMATCH');
    expect(codeOf(check(command(), null))).toBe('PS_ERR_COMMAND_KEY_MISMATCH');
  });

  it('refuses a method no plugin handles on this topic, an unknown merchant, and 3DS switched off', () => {
    expect(codeOf(check(command({ method: 'dana' })))).toBe('PS_ERR_COMMAND_UNKNOWN_METHOD');
    expect(codeOf(check(command(), 'o-1', {}, 'paystream.commands.other'))).toBe('PS_ERR_COMMAND_UNKNOWN_METHOD');
    expect(codeOf(check(command({ merchant: 'nobody' })))).toBe('PS_ERR_COMMAND_UNKNOWN_MERCHANT');
    expect(codeOf(check(command({ merchant: 'shop' })))).toBeUndefined();
    expect(codeOf(check(command({ details: { options: { Secure: 'OFF' } } })))).toBe('PS_ERR_COMMAND_3DS_DISABLED');
  });

  it('refuses an operation the plugin lacks, and details it does not accept — except empty ones after the charge', () => {
    expect(codeOf(check(command({ type: 'payment.approve' })))).toBe('PS_ERR_COMMAND_UNSUPPORTED');
    expect(codeOf(check(command({ details: { note: 5 } })))).toBe('PS_ERR_COMMAND_INVALID_DETAILS');
    expect(codeOf(check(command({ type: 'payment.refund', details: { note: 5 } })))).toBe('PS_ERR_COMMAND_INVALID_DETAILS');
    expect(check(command({ type: 'payment.refund', details: {} }))).toMatchObject({ op: 'refund', command: { details: {} } });
  });
});
