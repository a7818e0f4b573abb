import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WORKER_NODE_FLAGS } from './node-flags.ts';

describe('WORKER_NODE_FLAGS', () => {
  it('are the flags bin/paystream starts Node with', () => {
    const launcher = readFileSync(join(import.meta.dirname, '..', 'bin', 'paystream'), 'utf8');
    const exec = launcher.split('\n').find((l) => l.startsWith('exec ')) ?? '';
    expect(exec).toContain(` node ${WORKER_NODE_FLAGS.join(' ')} `);
    expect(WORKER_NODE_FLAGS.length).toBeGreaterThan(0);
  });
});
