// The operator console: sign-in, sessions, CSRF and roles refused over HTTP (each answer names its
// code), and the console's own configuration that stops it at start. No message repeats a token,
// a cookie or a request body: they are credentials or hostile input.
import type { ErrorEntry } from './entry.ts';

export const consoleErrors = {
  PS_ERR_CONSOLE_SIGN_IN_REFUSED: {
    class: 'invalid',
    exit: 77,
    message: 'the console does not know this token',
    meaning:
      "a sign-in gave a token whose SHA-256 is not in the console's tokens file: nothing says whether a near one exists, and each failure counts against the caller's address",
  },
  PS_ERR_CONSOLE_SIGN_IN_LIMITED: {
    class: 'retriable',
    exit: 75,
    message: 'too many failed sign-ins from this address: try again in {minutes} minute(s)',
    meaning:
      'the address the sign-in came from failed too often within the window: further attempts are refused unread until the window passes, so tokens cannot be guessed at speed',
  },
  PS_ERR_CONSOLE_SESSION_EXPIRED: {
    class: 'invalid',
    exit: 77,
    message: 'sign in: there is no session, or it has expired',
    meaning:
      'the request carries no console session cookie, or its session ended (signed out, idle too long, older than `console.sessionTtlMinutes`, or the console restarted): sign in again',
  },
  PS_ERR_CONSOLE_CSRF_REFUSED: {
    class: 'invalid',
    exit: 77,
    message: "the request does not carry the session's CSRF token",
    meaning:
      "a request that changes something (every non-GET API call, sign-out) must send the `x-csrf-token` header with the token `GET /api/session` gave: a page of another site cannot read it, so it cannot act in the operator's name",
  },
  PS_ERR_CONSOLE_ROLE_REFUSED: {
    class: 'invalid',
    exit: 77,
    message: 'this needs the {needed} role or above; the session has {role}',
    meaning: "the signed-in user's role is below the one the API route asks for (roles: viewer, operator, approver, admin)",
  },
  PS_ERR_CONSOLE_BAD_REQUEST: {
    class: 'invalid',
    exit: 65,
    message: 'the request cannot be taken: {reason}',
    meaning:
      'a console request without `content-type: application/json` on a POST, with a body over the limit or not JSON, with a foreign `Origin` on sign-in, or with a path that cannot be decoded',
  },
  PS_ERR_CONSOLE_NOT_FOUND: {
    class: 'invalid',
    exit: 65,
    message: 'the console has nothing at this path',
    meaning: 'no API route or file of the console answers at the path asked for (the path is not repeated back)',
  },
  PS_ERR_CONSOLE_METHOD_NOT_ALLOWED: {
    class: 'invalid',
    exit: 65,
    message: 'this path takes {allowed} only',
    meaning: 'an API path of the console was asked for with a method it does not take; the `Allow` header lists those it does',
  },
  PS_ERR_CONSOLE_TOKENS_FILE: {
    class: 'fatal',
    exit: 78,
    message: 'the console tokens file ({field}) cannot be used: {problem}',
    meaning:
      'a line of `console.auth.tokensFile` is not `<sha256 hex of the token> <role> <name>` (or a `#` comment), names an unknown role, or repeats a token hash or a name; the console does not start',
  },
  PS_ERR_CONSOLE_PLAIN_HTTP: {
    class: 'fatal',
    exit: 78,
    message:
      'the console would listen in plain HTTP on {host}, which is not a loopback address: configure console.tlsCertFile and console.tlsKeyFile',
    meaning:
      'the console serves plain HTTP only on a loopback address (a browser on the same host); anywhere else it needs its TLS certificate and key',
  },
} as const satisfies Record<string, ErrorEntry>;
