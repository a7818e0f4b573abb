import { describe, expect, it } from 'vitest';
import { parseSnapTimestamp, snapTimestamp } from './timestamp.ts';

describe('X-TIMESTAMP', () => {
  it('formats in WIB without fraction: YYYY-MM-DDTHH:mm:ss+07:00', () => {
    expect(snapTimestamp(new Date('2024-03-15T03:30:00.123Z'))).toBe('2024-03-15T10:30:00+07:00');
    expect(snapTimestamp(new Date('2024-12-31T20:00:00Z'))).toBe('2025-01-01T03:00:00+07:00');
  });

  it('is fresh per call', () => {
    expect(Math.abs(parseSnapTimestamp(snapTimestamp())!.getTime() - Date.now())).toBeLessThan(1500);
  });

  it('parses the forms official clients send and refuses malformed ones', () => {
    expect(parseSnapTimestamp('2024-01-01T03:00:00.000Z')?.toISOString()).toBe('2024-01-01T03:00:00.000Z');
    expect(parseSnapTimestamp('2024-01-01T10:00:00+07:00')?.toISOString()).toBe('2024-01-01T03:00:00.000Z');
    expect(parseSnapTimestamp('2024-01-01 10:00:00')).toBeUndefined();
    expect(parseSnapTimestamp('yesterday')).toBeUndefined();
  });
});
