import { describe, expect, it } from 'vitest';
import { maskedText, maskPersonal, maskValue } from './masking.ts';

const CARD = '4811111111111114';

describe('console masking', () => {
  it('shows a person only partly', () => {
    expect(maskPersonal('jane.doe@example.com')).toBe('j***@example.com');
    expect(maskPersonal('+6281234567890')).toBe('***7890');
    expect(maskPersonal('Jane')).toBe('J***');
  });

  it('masks customer fields, personal detail fields and card-like numbers anywhere, keeping ids', () => {
    const commandId = '0f8fad5b-d9cb-469f-a165-707711112222';
    const shown = maskValue({
      commandId,
      customer: { firstName: 'Jane', email: 'jane@example.com', phone: '+6281234567890' },
      details: { note: `card ${CARD}`, n: Number(CARD), [CARD]: 'k', payer: { mobileNumber: '081234567890' } },
    });
    const text = JSON.stringify(shown);
    expect(text).not.toContain(CARD);
    expect(text).not.toContain('jane@example.com');
    expect(text).not.toContain('81234567890');
    expect(text).not.toContain('Jane');
    expect(shown).toMatchObject({ commandId, customer: { firstName: 'J***', email: 'j***@example.com', phone: '***7890' } });
  });

  it('masks a payload that is no JSON as text', () => {
    const shown = maskedText(`not json ${CARD}`);
    expect(typeof shown).toBe('string');
    expect(String(shown)).not.toContain(CARD);
    expect(maskedText('{"a":1}')).toEqual({ a: 1 });
  });

  it('stops at a depth no command has', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 100; i++) deep = { d: deep };
    expect(JSON.stringify(maskValue(deep))).toContain('[nested too deeply]');
  });
});
