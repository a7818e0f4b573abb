// Bearer tokens for small installs: a file of `<sha256 hex of the token> <role> <name>` lines, read
// as core reads private files (owner-only). Only hashes are kept, and a token is compared against
// every one of them in constant time, so neither the file nor the timing gives a token away.
import { createHash, timingSafeEqual } from 'node:crypto';
import { codes, PaystreamError, readConfiguredFile } from '@paystream/core';
import { ROLES, type ConsoleUser, type Role } from '../api-route.ts';

const FIELD = 'console.auth.tokensFile';
const LINE = /^([0-9a-f]{64})\s+(\S+)\s+(\S.{0,99})$/;

interface Entry {
  readonly hash: Buffer;
  readonly user: ConsoleUser;
}

export interface TokenAuthenticator {
  /** The user a token belongs to, if any. */
  authenticate(token: string): ConsoleUser | undefined;
  readonly size: number;
}

const sha256 = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

function refuse(line: number, problem: string): PaystreamError {
  return new PaystreamError(codes.PS_ERR_CONSOLE_TOKENS_FILE, { field: FIELD, problem: `line ${String(line)}: ${problem}` });
}

/** Parses the file's text; a bad line stops the console with its number (never its content). */
export function parseTokens(text: string): TokenAuthenticator {
  const entries: Entry[] = [];
  const names = new Set<string>();
  const hashes = new Set<string>();
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const m = LINE.exec(line);
    const [hash, role, name] = [m?.[1], m?.[2], m?.[3]?.trim()];
    if (hash === undefined || role === undefined || name === undefined)
      throw refuse(
        i + 1,
        'not `<sha256 hex of the token> <role> <name>` (64 lowercase hex digits, a role, a name of at most 100 characters)',
      );
    if (!(ROLES as readonly string[]).includes(role)) throw refuse(i + 1, `the role is not one of ${ROLES.join(', ')}`);
    if (hashes.has(hash)) throw refuse(i + 1, 'the token hash is given twice');
    if (names.has(name)) throw refuse(i + 1, 'the name is given twice');
    hashes.add(hash);
    names.add(name);
    entries.push({ hash: Buffer.from(hash, 'hex'), user: { id: name, name, role: role as Role } });
  });
  return {
    size: entries.length,
    authenticate(token) {
      const hash = sha256(token);
      let found: ConsoleUser | undefined;
      // Every entry is compared, whatever matched: the time taken says nothing about which did.
      for (const e of entries) if (timingSafeEqual(e.hash, hash)) found = e.user;
      return found;
    },
  };
}

/** Reads the tokens file: owner-only unless insecure permissions are allowed; failures name the field. */
export function readTokensFile(path: string, allowInsecurePermissions: boolean): TokenAuthenticator {
  return parseTokens(readConfiguredFile(path, FIELD, { private: true, allowInsecurePermissions }));
}

/** The line a token's entry takes in the tokens file. */
export const tokenLine = (token: string, role: Role, name: string): string => `${sha256(token).toString('hex')} ${role} ${name}`;
