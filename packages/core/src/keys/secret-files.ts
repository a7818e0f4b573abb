// Reading the key, secret and certificate files the configuration names. A refusal names the
// configuration field and why the file failed, never the value: a secret pasted where a path belongs
// must not be echoed. Files holding private material must be readable by their owner only.
import { closeSync, constants, fstatSync, openSync, readFileSync } from 'node:fs';
import { codes } from '../error-catalogue/index.ts';
import { KeyError } from '../errors.ts';

export interface ReadFileOptions {
  /** Private keys and secrets: refused when group or others may read or write the file. */
  readonly private?: boolean;
  /** `allowInsecureKeyFilePermissions`: accept private files with group or other permissions. */
  readonly allowInsecurePermissions?: boolean;
}

export interface ReadRefOptions extends ReadFileOptions {
  readonly env?: NodeJS.ProcessEnv;
}

/** Why a file could not be opened, from its errno; never the error's message (it quotes the path). */
const REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file',
  ENOTDIR: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'not a regular file',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'not a file path',
};

/** No key, secret, certificate bundle or revocation list comes near this; a larger file is not one. */
const MAX_BYTES = 1024 * 1024;

function reasonOf(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return (code === undefined ? undefined : REASONS[code]) ?? 'not a readable file';
}

function unreadable(field: string, reason: string): KeyError {
  return new KeyError(codes.PS_ERR_KEY_MISSING, { field, problem: `cannot read the file it names (${reason})` });
}

/** The path as a shell word, so the fix-it command can be pasted. */
function shellWord(path: string): string {
  return /^[\w./@:+-]+$/.test(path) ? path : `'${path.replaceAll("'", `'\\''`)}'`;
}

/**
 * Opens, checks and reads one file. The checks run on the opened descriptor, so the file read is the
 * file checked. O_NONBLOCK keeps a FIFO from blocking start-up before it is refused as not regular.
 */
export function readConfiguredFile(path: string, field: string, options: ReadFileOptions = {}): string {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | ((constants.O_NONBLOCK as number | undefined) ?? 0));
  } catch (err) {
    throw unreadable(field, reasonOf(err));
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw unreadable(field, 'not a regular file');
    if (stat.size > MAX_BYTES) throw unreadable(field, 'larger than 1 MiB: not a key file');
    const exposed = stat.mode & 0o077;
    if (options.private === true && exposed !== 0 && options.allowInsecurePermissions !== true && process.platform !== 'win32') {
      // The path is named here: the file was opened, so the value is a real path, not a pasted secret.
      throw new KeyError(codes.PS_ERR_KEY_PERMISSIONS, {
        field,
        mode: (stat.mode & 0o777).toString(8).padStart(4, '0'),
        path: shellWord(path),
      });
    }
    return readFileSync(fd, 'utf8');
  } catch (err) {
    throw KeyError.is(err) ? err : unreadable(field, reasonOf(err));
  } finally {
    closeSync(fd);
  }
}

/** Reads `env:NAME` from the environment, anything else as a file; errors name `field` only. */
export function readSecretRef(ref: string, field: string, options: ReadRefOptions = {}): string {
  if (ref.startsWith('env:')) {
    const value = (options.env ?? process.env)[ref.slice(4)];
    if (value === undefined || value === '')
      throw new KeyError(codes.PS_ERR_KEY_MISSING, { field, problem: 'the environment variable it names is not set or is empty' });
    return value;
  }
  return readConfiguredFile(ref, field, options);
}

/**
 * A passphrase named by a file path or `env:NAME`, owner-only like every private file: a file's one
 * trailing newline (what `echo` and editors add) is not part of it; every other character is.
 */
export function readPassphrase(ref: string, field: string, options: ReadRefOptions = {}): string {
  return readSecretRef(ref, field, { ...options, private: true }).replace(/\r?\n$/, '');
}
