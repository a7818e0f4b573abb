// A payment-method plugin that cannot be loaded: the worker does not start with it.
import type { ErrorEntry } from './entry.ts';

export const pluginErrors = {
  PS_ERR_PLUGIN_INVALID_NAME: {
    class: 'fatal',
    exit: 78,
    message: '{where}: method must be kebab-case',
    meaning: "a plugin's method is not kebab-case",
  },
  PS_ERR_PLUGIN_INVALID_TOPIC: {
    class: 'fatal',
    exit: 78,
    message: '{where}: topic must be paystream.commands.{method}',
    meaning: "a plugin's topic is not `paystream.commands.<method>`",
  },
  PS_ERR_PLUGIN_UNKNOWN_OPERATION: {
    class: 'fatal',
    exit: 78,
    message: '{where}: unknown operation "{operation}"',
    meaning: 'a plugin declares an operation outside charge, status, cancel, refund, approve, deny',
  },
  PS_ERR_PLUGIN_CUSTOMER_AUTH: {
    class: 'fatal',
    exit: 78,
    message: '{where}: BI-SNAP requires at least two customer-authentication factors',
    meaning: 'a plugin declares fewer than the two customer-authentication factors BI-SNAP requires',
  },
  PS_ERR_PLUGIN_PENDING_TIMEOUT: {
    class: 'fatal',
    exit: 78,
    message: '{where}: pendingTimeoutMs must be a positive integer',
    meaning: "a plugin's pending timeout is not a positive number of milliseconds",
  },
  PS_ERR_PLUGIN_NONE: {
    class: 'fatal',
    exit: 78,
    message: 'no payment-method plugin is registered',
    meaning: 'the worker was started with no payment-method plugin',
  },
  PS_ERR_PLUGIN_UNKNOWN: {
    class: 'fatal',
    exit: 78,
    message: 'unknown plugin(s): {unknown}; available: {available}',
    meaning: 'the configuration names a payment-method plugin this install does not have; the message lists those it has',
  },
  PS_ERR_PLUGIN_DUPLICATE: {
    class: 'fatal',
    exit: 78,
    message: 'two plugins declare method "{method}"',
    meaning: 'two plugins declare the same method',
  },
} as const satisfies Record<string, ErrorEntry>;
