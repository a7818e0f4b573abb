import { describe, expect, it } from 'vitest';
import { printable, printableJson } from './printable.ts';

const codePoints = (from: number, to: number): string[] => Array.from({ length: to - from + 1 }, (_, i) => String.fromCodePoint(from + i));
const controls = [
  ...codePoints(0, 0x1f),
  '\u007f',
  ...codePoints(0x80, 0x9f),
  ...codePoints(0x202a, 0x202e),
  ...codePoints(0x2066, 0x2069),
  '\u200e',
  '\u200f',
  '\u061c',
  '\u2028',
  '\u2029',
];

describe('printable', () => {
  it('escapes every C0, C1, DEL and bidi control as visible \\uXXXX', () => {
    for (const c of controls) expect(printable(`a${c}b`)).toBe(`a\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}b`);
  });

  it('leaves other text as it is', () => {
    const text = 'Pembayaran gagal: saldo kurang — ¥1 ✓ 😀 "quoted" \\ back';
    expect(printable(text)).toBe(text);
  });

  it('makes every string of a JSON value printable, keys included', () => {
    expect(printableJson({ 'k\u001b': ['\u009b31m', 1, null, { x: '\u202e' }] })).toEqual({
      'k\\u001b': ['\\u009b31m', 1, null, { x: '\\u202e' }],
    });
  });
});
