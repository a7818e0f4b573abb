// The pino logger factory used everywhere: structured redaction of the fields that carry secrets,
// then text scrubbing of every line (registered secrets, PEM keys, card numbers).
import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import { secretScrubber } from './redact.ts';
import { traceMixin } from '../tracing/log-mixin.ts';

export type { Logger } from 'pino';

const SECRET_KEYS = [
  'authorization',
  'Authorization',
  'x-signature',
  'X-SIGNATURE',
  'accessToken',
  'clientSecret',
  'serverKey',
  'privateKey',
  'password',
  'signature_key',
  'token',
];

/** The same keys at the top level and up to three levels deep (pino wildcards match one level). */
export const redactPaths = SECRET_KEYS.flatMap((k) => {
  const access = /^[A-Za-z_]\w*$/.test(k) ? `.${k}` : `["${k}"]`;
  return [access.startsWith('.') ? k : access, `*${access}`, `*.*${access}`, `*.*.*${access}`];
});

export function createLogger(
  options: { name: string; level?: string } & Pick<LoggerOptions, 'base'>,
  destination?: DestinationStream,
): Logger {
  return pino(
    {
      name: options.name,
      level: options.level ?? process.env['PAYSTREAM_LOG_LEVEL'] ?? 'info',
      ...(options.base === undefined ? {} : { base: options.base }),
      redact: { paths: redactPaths, censor: '[redacted]' },
      hooks: { streamWrite: (line) => secretScrubber.scrub(line) },
      timestamp: pino.stdTimeFunctions.isoTime,
      // Each line of work done under a span names its trace (no ids outside one).
      mixin: traceMixin,
    },
    destination ?? pino.destination({ dest: 1, sync: false }),
  );
}
