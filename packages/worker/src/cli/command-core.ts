// Core for a one-shot CLI command: keys loaded and checked once (no file watch), nothing logged —
// the command itself says what it found, and a log line would only repeat it on another stream.
import { Writable } from 'node:stream';
import { createCore, createLogger, type CoreConfig, type CoreServices } from '@paystream/core';

export function openCommandCore(config: Readonly<CoreConfig>): Promise<CoreServices> {
  const silent = createLogger({ name: 'paystream-cli', level: 'silent' }, new Writable({ write: (_c, _e, done) => done() }));
  return createCore(config, { logger: silent, watchKeys: false });
}
