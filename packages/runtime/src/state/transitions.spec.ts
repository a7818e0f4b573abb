import { describe, expect, it } from 'vitest';
import { mayFollow } from './transitions.ts';

describe('order state machine', () => {
  it('moves forward and never back', () => {
    expect(mayFollow(undefined, 'action_required')).toBe(true);
    expect(mayFollow('action_required', 'succeeded')).toBe(true);
    expect(mayFollow('succeeded', 'refunded')).toBe(true);
    expect(mayFollow('succeeded', 'action_required')).toBe(false);
    expect(mayFollow('succeeded', 'pending')).toBe(false);
  });

  it('allows one terminal outcome only', () => {
    expect(mayFollow('succeeded', 'failed')).toBe(false);
    expect(mayFollow('expired', 'succeeded')).toBe(false);
    expect(mayFollow('canceled', 'refunded')).toBe(false);
    expect(mayFollow('failed', 'failed')).toBe(true);
  });
});
