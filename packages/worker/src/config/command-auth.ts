// `commands.auth`: whether commands must be signed, and the upstream services allowed to sign them,
// each with its Ed25519 public key files and what it may send. Public keys are named by file (or
// `env:NAME`), so a rotation or a revocation is a file change and a SIGHUP, never a restart.
import { CommandType } from '@paystream/contracts';
import { z } from 'zod';

const kebab = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'kebab-case');
const fingerprint = z.string().regex(/^(?:sha256:)?[0-9a-f]{64}$/, 'a SHA-256 fingerprint is 64 lowercase hex characters');

const Upstream = z.strictObject({
  /** The service, as refusals and logs name it. */
  name: kebab,
  /** Files of its Ed25519 public keys (SPKI PEM, one or more each), or `env:NAME`. */
  publicKeyFiles: z.array(z.string().min(1)).min(1),
  /** Methods (plugin names) it may send commands for. */
  methods: z.array(kebab).min(1),
  /** Command types it may send, e.g. only `payment.refund`. */
  types: z.array(CommandType).min(1),
  /** Merchants (credential sets) its commands may name; every one when absent. A command naming none is for the default one. */
  merchants: z.array(kebab).min(1).optional(),
});

export const CommandAuthConfig = z
  .strictObject({
    /** Refuse unsigned commands. A command that carries a signature is verified whether or not this is set. */
    required: z.boolean().default(false),
    upstreams: z.array(Upstream).default([]),
    /** SHA-256 fingerprints (SPKI) of revoked upstream keys. */
    revokedKeyFingerprints: z
      .array(fingerprint)
      .default([])
      .transform((list) => list.map((f) => f.replace(/^sha256:/, ''))),
    /** A revocation list file (one fingerprint a line), re-read on SIGHUP and when it changes. */
    revocationListFile: z.string().min(1).optional(),
  })
  .superRefine((auth, ctx) => {
    if (auth.required && auth.upstreams.length === 0)
      ctx.addIssue({ code: 'custom', path: ['upstreams'], message: 'required is set, so at least one upstream must be allowed to sign' });
    const seen = new Set<string>();
    for (const [i, u] of auth.upstreams.entries()) {
      if (seen.has(u.name)) ctx.addIssue({ code: 'custom', path: ['upstreams', i, 'name'], message: 'another upstream has this name' });
      seen.add(u.name);
    }
  })
  .prefault({});
export type CommandAuthConfig = z.output<typeof CommandAuthConfig>;

/** `commands`: how commands are accepted. */
export const CommandsConfig = z.strictObject({ auth: CommandAuthConfig }).prefault({});
