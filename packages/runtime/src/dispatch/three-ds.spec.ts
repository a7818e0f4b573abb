import { describe, expect, it } from 'vitest';
import { disablesThreeDs } from './three-ds.ts';

describe('3DS guard', () => {
  it('refuses any nested switch set to false, and leaves everything else alone', () => {
    expect(disablesThreeDs({ secure: false })).toBe(true);
    expect(disablesThreeDs({ card: { authentication: 'false' } })).toBe(true);
    expect(disablesThreeDs({ a: [{ threeDs: false }] })).toBe(true);
    expect(disablesThreeDs({ secure: true, returnUrl: 'https://x' })).toBe(false);
    expect(disablesThreeDs({ note: 'secure: false' })).toBe(false);
  });

  it('reads switch names and values however they are cased or spelled', () => {
    for (const details of [
      { Secure: false },
      { THREE_DS: 0 },
      { 'three-d-secure': 'off' },
      { 'authenti\u200bcation': ' No ' },
      { '\uff53ecure': 'false' },
    ]) {
      expect(disablesThreeDs(details), JSON.stringify(details)).toBe(true);
    }
    expect(disablesThreeDs({ Secure: 'yes', authentication: true, threeDs: 1 })).toBe(false);
  });

  it('fails closed below 32 levels of nesting, and cannot be overflowed', () => {
    let deep: unknown = { secure: true };
    for (let i = 0; i < 32; i++) deep = { a: deep };
    expect(disablesThreeDs(deep)).toBe(false);
    expect(disablesThreeDs({ a: deep })).toBe(true);
    let huge: unknown = 1;
    for (let i = 0; i < 5_000; i++) huge = i % 2 === 0 ? { a: huge } : [huge];
    expect(disablesThreeDs(huge)).toBe(true);
  });
});
