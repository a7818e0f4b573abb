import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { containsCardNumber, disablesThreeDs, maskCards } from './guards.ts';

describe('card number guard', () => {
  it.each(['4811111111111114', '4811 1111 1111 1114', '4811-1111-1111-1114', '5211111111111117', '378282246310005', '6011111111111117', '3530111333300000'])('finds %s', (pan) => {
    expect(containsCardNumber(`{"details":{"note":"${pan}"}}`)).toBe(true);
  });

  it.each(['+6281234567890', '081234567890', '6281234567890', '4811111111111115', 'order-20261124000001', '1234567890123456'])('does not mistake %s for a card', (text) => {
    expect(containsCardNumber(`{"v":"${text}"}`)).toBe(false);
  });

  it('masks to first 6 / last 4', () => {
    expect(maskCards('pan 4811111111111114!')).toBe('pan 481111******1114!');
  });

  it('finds a known card wherever it is embedded in hostile JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 3 }), fc.string(), (noise, prefix) => {
        const text = JSON.stringify({ noise, deep: { deeper: [`${prefix.replace(/\d/g, '')} 4811111111111114`] } });
        expect(containsCardNumber(text)).toBe(true);
        expect(maskCards(text)).not.toContain('4811111111111114');
      }),
    );
  });
});

describe('3DS guard', () => {
  it('refuses any nested switch set to false, and leaves everything else alone', () => {
    expect(disablesThreeDs({ secure: false })).toBe(true);
    expect(disablesThreeDs({ card: { authentication: 'false' } })).toBe(true);
    expect(disablesThreeDs({ a: [{ threeDs: false }] })).toBe(true);
    expect(disablesThreeDs({ secure: true, returnUrl: 'https://x' })).toBe(false);
    expect(disablesThreeDs({ note: 'secure: false' })).toBe(false);
  });
});
