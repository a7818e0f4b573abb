// kafkajs logs into the worker's logger, so they are JSON, redacted and levelled like the rest.
import { logLevel, type logCreator } from 'kafkajs';
import type { Logger } from '@paystream/core';

export function kafkaLogs(logger: Logger): logCreator {
  const child = logger.child({ component: 'kafka' });
  return () =>
    ({ level, log }) => {
      const { message, ...rest } = log;
      if (level <= logLevel.ERROR) child.error(rest, message);
      else if (level === logLevel.WARN) child.warn(rest, message);
      else child.debug(rest, message);
    };
}
