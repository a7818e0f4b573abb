// The notification ingress and the operator's DLQ tools.
import type { ErrorEntry } from './entry.ts';

export const operationErrors = {
  PS_ERR_INGRESS_PLAIN_HTTP: {
    class: 'fatal',
    exit: 78,
    message:
      'the notification ingress would listen in plain HTTP on {host}, which is not a loopback address: configure ingress.tlsCertFile and ingress.tlsKeyFile, or set ingress.allowPlainHttp behind a TLS-terminating proxy',
    meaning:
      'the notification ingress would listen in plain HTTP on a non-loopback address: configure its TLS certificate, or set `ingress.allowPlainHttp` behind a TLS-terminating proxy',
  },
  PS_ERR_DLQ_RECORD_INVALID: {
    class: 'invalid',
    exit: 65,
    message: 'the DLQ record is unreadable: {reason}',
    meaning:
      'a DLQ record is not JSON or fails the `DlqRecord` schema: `dlq inspect` lists it as unreadable and `dlq replay` never replays it',
  },
  PS_ERR_DLQ_NOT_REPLAYABLE: {
    class: 'invalid',
    exit: 65,
    message: 'the DLQ record cannot be replayed: {reason}',
    meaning:
      "a DLQ record's command cannot be replayed: masked, truncated, not a valid command, or naming a method this install does not run",
  },
} as const satisfies Record<string, ErrorEntry>;
