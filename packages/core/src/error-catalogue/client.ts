// What `@paystream/client` throws to the upstream and downstream services that use it. The package
// does not depend on core: scripts/generate-client.ts copies these rows into its generated errors.
import type { ErrorEntry } from './entry.ts';

export const clientErrors = {
  PS_ERR_CLIENT_INVALID_INPUT: {
    class: 'invalid',
    exit: 65,
    message: 'the {type} command for {method} is invalid: {problems}',
    meaning: 'the client refused to publish a command that Paystream would refuse: the problems name each field and what is wrong with it',
  },
  PS_ERR_CLIENT_UNKNOWN_METHOD: {
    class: 'invalid',
    exit: 65,
    message: 'no payment method {method} is known to this client; known: {known}',
    meaning: 'the command names a payment method the client package does not know; a newer client may',
  },
  PS_ERR_CLIENT_SIGNING_KEY: {
    class: 'fatal',
    exit: 78,
    message: 'the command-signing key cannot sign: {problem}',
    meaning: 'the command-signing key given to the client is not an Ed25519 private key, or its key id does not match it',
  },
  PS_ERR_CLIENT_PUBLISH_FAILED: {
    class: 'retriable',
    exit: 69,
    message: 'the {type} command for order {orderId} was not published: {cause}',
    meaning: 'Kafka did not acknowledge the command; publishing it again with the same commandId is safe',
  },
  PS_ERR_CLIENT_RESULT_TIMEOUT: {
    class: 'ambiguous',
    exit: 75,
    message: 'no {wait} result for order {orderId} within {timeoutMs} ms',
    meaning:
      'the command was published but its awaited result did not arrive in time; the order goes on, follow it by its result events or a status command',
  },
  PS_ERR_CLIENT_COMMAND_REJECTED: {
    class: 'invalid',
    exit: 65,
    message: 'Paystream refused the {type} command for order {orderId}: {code}: {reason}',
    meaning: 'the worker refused the command and published a `paystream.command.rejected` event; its code says why',
  },
  PS_ERR_CLIENT_CLOSED: {
    class: 'fatal',
    exit: 69,
    message: 'the client is closed',
    meaning: 'a command was given to a client after `close()`',
  },
} as const satisfies Record<string, ErrorEntry>;
