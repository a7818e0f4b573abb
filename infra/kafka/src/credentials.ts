// SCRAM users of the secured broker: one random password per user and broker home, kept next to the
// data whose metadata holds the matching salted keys.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** `admin` is the super user; the others are the services and people of docs/kafka.md. */
export const SCRAM_USERS = ['admin', 'paystream-worker', 'checkout', 'ledger', 'operator'] as const;
export type ScramUser = (typeof SCRAM_USERS)[number];

/** Both are enabled on the SASL_SSL listener; every user gets credentials for both. */
const MECHANISMS = ['SCRAM-SHA-512', 'SCRAM-SHA-256'] as const;

export const secretsDir = (home: string): string => join(home, 'secrets');
export const passwordFile = (home: string, user: string): string => join(secretsDir(home), `${user}.password`);

/** Creates the missing password files exclusively, mode 0600, in a 0700 folder. */
export function ensurePasswords(home: string): void {
  mkdirSync(secretsDir(home), { recursive: true, mode: 0o700 });
  chmodSync(secretsDir(home), 0o700);
  for (const user of SCRAM_USERS) {
    const file = passwordFile(home, user);
    // base64url: no ',', '[' or ']', which the --add-scram syntax would split on.
    if (!existsSync(file)) writeFileSync(file, randomBytes(24).toString('base64url'), { mode: 0o600, flag: 'wx' });
  }
}

export function readPassword(home: string, user: string): string {
  return readFileSync(passwordFile(home, user), 'utf8').trim();
}

/** `kafka-storage format` arguments that create every user under both mechanisms (KIP-900). */
export function scramFormatArguments(home: string): string[] {
  return SCRAM_USERS.flatMap((user) =>
    MECHANISMS.flatMap((mechanism) => ['--add-scram', `${mechanism}=[name=${user},password=${readPassword(home, user)}]`]),
  );
}
