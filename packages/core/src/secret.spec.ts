import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { Secret } from './secret.ts';

describe('Secret', () => {
  it('never prints its value, whichever way it is printed', () => {
    const s = new Secret('hunter2-client-secret', 'client secret');
    expect(String(s)).not.toContain('hunter2');
    expect(JSON.stringify({ s })).not.toContain('hunter2');
    expect(inspect({ s }, { depth: 5 })).not.toContain('hunter2');
    expect(s.reveal()).toBe('hunter2-client-secret');
  });
});
