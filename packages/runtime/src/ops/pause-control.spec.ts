import { describe, expect, it } from 'vitest';
import { PauseControl, type Pausable } from './pause-control.ts';

function target(method: string, api: 'snap' | 'core'): Pausable & { log: string[] } {
  const log: string[] = [];
  return { method, api, log, pause: () => log.push('pause'), resume: () => log.push('resume') };
}

describe('PauseControl', () => {
  it('pauses the plugins a reason concerns and resumes them when no reason is left', () => {
    const gopay = target('gopay', 'snap');
    const card = target('card-3ds', 'core');
    const control = new PauseControl([gopay, card]);
    control.set('circuit breaker open: default/snap', true, (t) => t.api === 'snap');
    expect(control.paused()).toEqual(['gopay']);
    control.set('credentials refused: default/snap', true, (t) => t.api === 'snap');
    control.set('circuit breaker open: default/snap', false);
    expect(gopay.log).toEqual(['pause']);
    control.set('credentials refused: default/snap', false);
    expect(gopay.log).toEqual(['pause', 'resume']);
    expect(card.log).toEqual([]);
    expect(control.reasons()).toEqual([]);
  });

  it('a reason set twice is one reason', () => {
    const gopay = target('gopay', 'snap');
    const control = new PauseControl([gopay]);
    control.set('r', true);
    control.set('r', true);
    control.set('r', false);
    expect(gopay.log).toEqual(['pause', 'resume']);
  });
});
