// Creating a merchant key inside AWS KMS: RSA-2048 for signing, which KMS never lets out, named by
// an alias when one is given. An alias already in use is refused, so a key is never silently
// replaced; only the public half comes back, to be registered at Midtrans.
import type { KeyObject } from 'node:crypto';
import { codes } from '../../error-catalogue/index.ts';
import { KeyError } from '../../errors.ts';
import { connectKms, isKmsError, kmsEndpointLabel, kmsFailureReason, withDeadline, type KmsConnection } from './kms-client.ts';
import { KmsKeyProblem, kmsPublicKey } from './kms-key-check.ts';

export interface GenerateKmsKeyOptions {
  region?: string;
  /** For emulators and VPC endpoints; the regional AWS endpoint when absent. */
  endpoint?: string;
  /** `alias/paystream-merchant` (the `alias/` prefix is added when missing). */
  alias?: string;
  description?: string;
  /** The bound on each KMS call (default 15000: KMS generates the key while answering). */
  timeoutMs?: number;
}

export interface GeneratedKmsKey {
  /** The key's ARN. */
  keyId: string;
  publicKey: KeyObject;
}

const DEFAULT_TIMEOUT_MS = 15_000;
/** The shortest waiting period KMS allows before deleting a key. */
const MIN_DELETION_DAYS = 7;
const WHAT = 'The new KMS merchant key';

/** Creates an RSA-2048 SIGN_VERIFY key in KMS (and its alias); its ARN and public key. */
export async function generateKmsKey(opts: GenerateKmsKeyOptions): Promise<GeneratedKmsKey> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const alias = opts.alias === undefined || opts.alias.startsWith('alias/') ? opts.alias : `alias/${opts.alias}`;
  const where = kmsEndpointLabel(opts);
  const location = `aws-kms ${alias ?? 'new key'} (${opts.region ?? 'default region'})`;
  let kms: KmsConnection | undefined;
  try {
    const connection = await connectKms({ region: opts.region, endpoint: opts.endpoint, timeoutMs });
    kms = connection;
    if (alias !== undefined) await refuseTakenAlias(connection, alias, location, timeoutMs);
    const keyArn = await createKey(connection, opts.description, timeoutMs);
    if (alias !== undefined) await createAlias(connection, alias, keyArn, location, timeoutMs);
    const command = new connection.sdk.GetPublicKeyCommand({ KeyId: keyArn });
    const answer = await withDeadline(timeoutMs, (abortSignal) => connection.client.send(command, { abortSignal }));
    return { keyId: keyArn, publicKey: kmsPublicKey(answer) };
  } catch (err) {
    if (err instanceof KeyError) throw err;
    const reason = err instanceof KmsKeyProblem ? err.reason : kmsFailureReason(err, where);
    throw new KeyError(codes.PS_ERR_SIGNER_UNAVAILABLE, { what: WHAT, location, reason });
  } finally {
    kms?.client.destroy();
  }
}

async function refuseTakenAlias(kms: KmsConnection, alias: string, location: string, timeoutMs: number): Promise<void> {
  try {
    await withDeadline(timeoutMs, (abortSignal) => kms.client.send(new kms.sdk.DescribeKeyCommand({ KeyId: alias }), { abortSignal }));
  } catch (err) {
    if (isKmsError(err, 'NotFoundException')) return;
    throw err;
  }
  throw new KeyError(codes.PS_ERR_KEY_EXISTS, { path: location });
}

async function createKey(kms: KmsConnection, description: string | undefined, timeoutMs: number): Promise<string> {
  const command = new kms.sdk.CreateKeyCommand({
    KeySpec: 'RSA_2048',
    KeyUsage: 'SIGN_VERIFY',
    ...(description === undefined ? {} : { Description: description }),
  });
  const answer = await withDeadline(timeoutMs, (abortSignal) => kms.client.send(command, { abortSignal }));
  const arn = answer.KeyMetadata?.Arn;
  if (arn === undefined) throw new KmsKeyProblem('KMS created a key but returned no ARN');
  return arn;
}

/** Names the key; when another process took the alias meanwhile, the new key is scheduled for deletion. */
async function createAlias(kms: KmsConnection, alias: string, keyArn: string, location: string, timeoutMs: number): Promise<void> {
  try {
    const command = new kms.sdk.CreateAliasCommand({ AliasName: alias, TargetKeyId: keyArn });
    await withDeadline(timeoutMs, (abortSignal) => kms.client.send(command, { abortSignal }));
  } catch (err) {
    if (!isKmsError(err, 'AlreadyExistsException')) throw err;
    const discard = new kms.sdk.ScheduleKeyDeletionCommand({ KeyId: keyArn, PendingWindowInDays: MIN_DELETION_DAYS });
    await withDeadline(timeoutMs, (abortSignal) => kms.client.send(discard, { abortSignal })).catch(() => undefined);
    throw new KeyError(codes.PS_ERR_KEY_EXISTS, { path: location });
  }
}
