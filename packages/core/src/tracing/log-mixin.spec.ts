import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../log/logger.ts';
import { traceMixin } from './log-mixin.ts';

describe('the trace mixin of the logger', () => {
  it('add no trace ids outside a span', () => {
    expect(traceMixin()).toEqual({});
  });

  it("keep each line's fields to that line: pino merges them into what the mixin returns", () => {
    const lines: string[] = [];
    const log = createLogger(
      { name: 't' },
      new Writable({
        write: (c: Buffer, _e, done) => {
          lines.push(c.toString());
          done();
        },
      }),
    );
    log.info({ dir: '/tmp/a', reason: 'missing' }, 'first');
    log.info({ other: 1 }, 'second');
    const [first, second] = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(first).toMatchObject({ dir: '/tmp/a', reason: 'missing' });
    expect(second).not.toHaveProperty('dir');
    expect(second).not.toHaveProperty('trace_id');
  });
});
