// The AWS KMS client the KMS signer and key generation share: the SDK loaded only when a KMS key is
// used, every call bounded in time, and every failure turned into a reason an operator can act on.
// Credentials and region come from the SDK's standard chain; no secret ever reaches a reason.
import type { KMSClient } from '@aws-sdk/client-kms';

export type KmsSdk = typeof import('@aws-sdk/client-kms');

export interface KmsClientOptions {
  readonly region?: string | undefined;
  /** An emulator's or a VPC endpoint's URL; the regional AWS endpoint when absent. */
  readonly endpoint?: string | undefined;
  /** The bound on one whole call, both attempts included. */
  readonly timeoutMs: number;
}

export interface KmsConnection {
  readonly sdk: KmsSdk;
  readonly client: KMSClient;
}

/** Two attempts: one retry rides out a dropped connection, more would keep an outage waiting. */
const MAX_ATTEMPTS = 2;

let sdkLoading: Promise<KmsSdk> | undefined;

/** The SDK module, imported at first use so installs without KMS never load it. */
export function loadKmsSdk(): Promise<KmsSdk> {
  sdkLoading ??= import('@aws-sdk/client-kms').catch((err: unknown) => {
    sdkLoading = undefined; // a later call tries again
    throw err;
  });
  return sdkLoading;
}

export async function connectKms(options: KmsClientOptions): Promise<KmsConnection> {
  const sdk = await loadKmsSdk();
  const attemptMs = Math.max(1, Math.ceil(options.timeoutMs / MAX_ATTEMPTS));
  const client = new sdk.KMSClient({
    ...(options.region === undefined ? {} : { region: options.region }),
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
    maxAttempts: MAX_ATTEMPTS,
    requestHandler: { connectionTimeout: attemptMs, requestTimeout: attemptMs, throwOnRequestTimeout: true },
  });
  return { sdk, client };
}

/** The call did not finish within its bound (credential lookup, connection and answer together). */
export class KmsDeadlineError extends Error {
  readonly timeoutMs: number;
  constructor(timeoutMs: number) {
    super(`KMS did not answer within ${String(timeoutMs)} ms`);
    this.name = 'KmsDeadlineError';
    this.timeoutMs = timeoutMs;
  }
}

/** Runs one SDK call, aborting it and rejecting with KmsDeadlineError after `timeoutMs`. */
export async function withDeadline<T>(timeoutMs: number, call: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new KmsDeadlineError(timeoutMs));
    }, timeoutMs);
  });
  try {
    return await Promise.race([call(controller.signal), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** Where the client connects, for reasons and locations: the endpoint without user info or query. */
export function kmsEndpointLabel(options: Pick<KmsClientOptions, 'region' | 'endpoint'>): string {
  if (options.endpoint !== undefined) {
    try {
      const url = new URL(options.endpoint);
      return `${url.protocol}//${url.host}${url.pathname === '/' ? '' : url.pathname}`;
    } catch {
      return 'the configured KMS endpoint';
    }
  }
  return options.region === undefined ? 'the regional AWS KMS endpoint' : `kms.${options.region}.amazonaws.com`;
}

/** What an AWS error name means for a signing key, in operator words. */
const SERVICE_REASONS: Readonly<Record<string, string>> = {
  DisabledException: 'the key is disabled',
  NotFoundException: 'the key was not found',
  KMSInvalidStateException: 'the key cannot be used in its current state (pending deletion or import)',
  KeyUnavailableException: 'the key is unavailable',
  InvalidKeyUsageException: 'the key does not allow signing with RSASSA_PKCS1_V1_5_SHA_256',
  UnrecognizedClientException: 'KMS refused the AWS credentials',
  InvalidSignatureException: 'KMS refused the AWS credentials',
  ExpiredTokenException: 'KMS refused the AWS credentials as expired',
  ThrottlingException: 'KMS is throttling requests',
};

/** ECONNREFUSED, EAI_AGAIN…; not Node's ERR_* codes, which are no socket's. */
const SOCKET_CODE = /^E(?!RR_)[A-Z_]+$/;

function socketCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && SOCKET_CODE.test(code)) return code;
  const inner = (err as { errors?: unknown } | null)?.errors;
  return Array.isArray(inner) ? inner.map(socketCode).find((c) => c !== undefined) : undefined;
}

/**
 * Why a KMS call failed, naming the AWS error name or the socket code and where KMS was sought.
 * Built from names and codes only: an SDK message may echo request details, so none is copied.
 */
export function kmsFailureReason(err: unknown, where: string): string {
  if (err instanceof KmsDeadlineError) return `KMS did not answer within ${String(err.timeoutMs)} ms at ${where}`;
  const name = err instanceof Error ? err.name : typeof err;
  // Before the socket code: a request timeout carries ETIMEDOUT though KMS was reached.
  if (name === 'TimeoutError') return `KMS did not answer in time at ${where} (TimeoutError)`;
  const code = socketCode(err);
  if (code !== undefined) return `KMS unreachable at ${where} (${code})`;
  if (name === 'AbortError') return `the call to KMS at ${where} was abandoned (AbortError)`;
  if (name === 'CredentialsProviderError') return 'no AWS credentials were found by the standard chain (CredentialsProviderError)';
  if (err instanceof Error && err.message === 'Region is missing') return 'no AWS region is configured: set the KMS region or AWS_REGION';
  const fault = (err as { $fault?: unknown } | null)?.$fault;
  if (fault === undefined) return `the call to KMS at ${where} failed (${name})`;
  const known = SERVICE_REASONS[name];
  if (known !== undefined) return `${known} (${name})`;
  return fault === 'server' ? `KMS failed: ${name}` : `KMS refused: ${name}`;
}

/** True for the AWS error `name` (an SDK ServiceException). */
export function isKmsError(err: unknown, name: string): boolean {
  return err instanceof Error && err.name === name && (err as { $fault?: unknown }).$fault !== undefined;
}
