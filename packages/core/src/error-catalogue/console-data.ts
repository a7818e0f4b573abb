// The operator console's read API: a query it cannot answer, an order or record it does not find, and
// the order-state topic it cannot follow.
import type { ErrorEntry } from './entry.ts';

export const consoleDataErrors = {
  PS_ERR_CONSOLE_QUERY_INVALID: {
    class: 'invalid',
    exit: 65,
    message: 'the query parameter {name} is not valid: {reason}',
    meaning:
      'a console API request names a time that is not an ISO 8601 date-time, a limit outside its bounds, a method the installation does not run, or a search text that is empty or too long; nothing was read',
  },
  PS_ERR_CONSOLE_ORDER_NOT_FOUND: {
    class: 'invalid',
    exit: 65,
    message: 'no order {orderId} is known in the time window read',
    meaning:
      "the console found neither the order in its directory of the order-state topic nor any command, result, DLQ record, notification or audit event of it in the order's partitions within the time window read",
  },
  PS_ERR_CONSOLE_RECORD_NOT_FOUND: {
    class: 'invalid',
    exit: 65,
    message: 'no DLQ record at {topic} {at}',
    meaning: "the DLQ record asked for is not in its topic: an offset past the partition's end, or one removed by retention",
  },
  PS_ERR_CONSOLE_STATE_TOPIC_MISSING: {
    class: 'fatal',
    exit: 69,
    message: 'the console cannot follow the order-state topic {topic}: it does not exist',
    meaning:
      'the console builds its order directory from the order-state topic, which the worker creates at its first start (or `paystream topics create`): start a worker of this installation (same topic prefix) first',
  },
} as const satisfies Record<string, ErrorEntry>;
