// The `console` section of the worker configuration: where the operator console listens, its TLS
// certificate and key (core's inbound policy, as the notification ingress), who may sign in, and how
// long a session lasts. Secrets are never values here: the tokens file holds only token hashes.
import { z } from 'zod';

const port = z.number().int().min(0, 'a port is 0 (any free port) to 65535').max(65535, 'a port is 0 (any free port) to 65535');

export const ConsoleConfig = z
  .strictObject({
    listen: z.strictObject({ host: z.string().min(1).default('127.0.0.1'), port: port.default(8443) }).prefault({}),
    /** PEM files of the console's TLS certificate and key; plain HTTP only on a loopback address. */
    tlsCertFile: z.string().min(1).optional(),
    tlsKeyFile: z.string().min(1).optional(),
    auth: z
      .strictObject({
        /** Lines of `<sha256 hex of the token> <role> <name>`; owner-only like every private file (docs/console.md). */
        tokensFile: z.string().min(1).optional(),
      })
      .prefault({}),
    /** The longest a session lasts, however busy (minutes); an idle one ends after 30 minutes. */
    sessionTtlMinutes: z.number().int().min(1).max(10_080, 'at most a week (10080 minutes)').default(480),
  })
  .prefault({})
  .refine((c) => (c.tlsCertFile === undefined) === (c.tlsKeyFile === undefined), {
    message: 'give both tlsCertFile and tlsKeyFile, or neither',
  });
export type ConsoleConfig = z.infer<typeof ConsoleConfig>;
