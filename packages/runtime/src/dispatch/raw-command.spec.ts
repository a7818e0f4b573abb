// The identifiers a refusal may repeat from a record that is no valid command: only in their valid
// form, and none that holds a card.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { message, TOPIC } from '../../test/dispatch-fakes.ts';
import { keyText, named, readValue } from './raw-command.ts';

const CARD = '4811111111111114';

describe('named', () => {
  it('keeps an order id, a UUID command id and a short kebab-case method', () => {
    const commandId = randomUUID();
    expect(named({ orderId: 'order-1', commandId, method: 'gopay', other: 'x' })).toEqual({
      orderId: 'order-1',
      commandId,
      method: 'gopay',
    });
  });

  it('drops what is not in its valid form, or holds a card', () => {
    expect(named({ orderId: `o-${CARD}`, commandId: 'not-a-uuid', method: 'Go Pay' })).toEqual({});
    expect(named({ method: 'a'.repeat(65) })).toEqual({});
    expect(named({ orderId: 42 })).toEqual({});
    expect(named(null)).toEqual({});
  });
});

describe('readValue and keyText', () => {
  it('read the text and the key of a record', () => {
    const m = { topic: TOPIC, partition: 0, message: message('{"a":1}', 'o-1') };
    expect(readValue(m)).toEqual({ text: '{"a":1}' });
    expect(keyText(m)).toBe('o-1');
  });

  it('find card data in the key first, still naming the order the value names', () => {
    const m = { topic: TOPIC, partition: 0, message: message('{"orderId":"o-1"}', CARD) };
    expect(readValue(m)).toMatchObject({ code: 'PS_ERR_COMMAND_CARD_DATA', orderId: 'o-1' });
  });

  it('give no key text for a key that is not UTF-8', () => {
    expect(keyText({ topic: TOPIC, partition: 0, message: message('{}', Buffer.from([0xff, 0xfe])) })).toBeUndefined();
  });
});
