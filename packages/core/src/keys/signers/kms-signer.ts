// The merchant key held in AWS KMS: the private key never leaves KMS, which signs the BI-SNAP
// access-token string on request. The key is checked against the configured public key before its
// first signature, and every signature is verified locally so a repointed alias is caught at once.
import { verify, type KeyObject } from 'node:crypto';
import { codes } from '../../error-catalogue/index.ts';
import { KeyError } from '../../errors.ts';
import { keyId, spkiFingerprint } from '../pem.ts';
import { MERCHANT_SIGNATURE_ALGORITHM, type Signer, type SignerStatus } from '../signer.ts';
import { connectKms, kmsEndpointLabel, kmsFailureReason, withDeadline, type KmsConnection } from './kms-client.ts';
import { checkKmsKey, KMS_SIGNING_ALGORITHM, KmsKeyMismatch, KmsKeyProblem } from './kms-key-check.ts';

export { generateKmsKey, type GenerateKmsKeyOptions, type GeneratedKmsKey } from './kms-keygen.ts';

export interface KmsSignerOptions {
  /** A key id, key ARN, alias (`alias/…`) or alias ARN. */
  keyId: string;
  /** The AWS region; the SDK's standard resolution (AWS_REGION, shared config) when absent. */
  region?: string;
  /** For emulators and VPC endpoints; the regional AWS endpoint when absent. */
  endpoint?: string;
  /** The configured public key, as registered at Midtrans. */
  publicKey: KeyObject;
  /** `The private key of merchant "default"`: names the key in errors. */
  what: string;
  /** The bound on each KMS call, its retry included (default 5000). */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 5_000;

export class KmsSigner implements Signer {
  readonly kind = 'kms' as const;
  readonly algorithm = MERCHANT_SIGNATURE_ALGORITHM;
  readonly publicKey: KeyObject;
  readonly fingerprint: string;
  readonly keyId: string;
  readonly location: string;
  readonly #options: KmsSignerOptions;
  readonly #timeoutMs: number;
  readonly #where: string;
  #connection: Promise<KmsConnection> | undefined;
  /** The KMS key was found to be the configured one; cleared by any failure. */
  #verified = false;
  #verifying: Promise<void> | undefined;
  /** Ready until a signature fails: nothing is known against KMS before the first one. */
  #status: SignerStatus = { ready: true };
  #closed = false;

  /** Opens nothing: the SDK is loaded and the key checked at the first signature. */
  constructor(options: KmsSignerOptions) {
    this.#options = options;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#where = kmsEndpointLabel(options);
    this.publicKey = options.publicKey;
    this.fingerprint = spkiFingerprint(options.publicKey);
    this.keyId = keyId(options.publicKey);
    const endpoint = options.endpoint === undefined ? '' : ` at ${this.#where}`;
    this.location = `aws-kms key ${options.keyId} (${options.region ?? 'default region'})${endpoint}`;
  }

  async sign(data: Uint8Array): Promise<Buffer> {
    try {
      if (this.#closed) throw new KmsKeyProblem('the signer is closed');
      const kms = await this.#connect();
      await this.#verifyKey(kms);
      const signature = await this.#signWith(kms, data);
      this.#status = { ready: true };
      return signature;
    } catch (err) {
      throw this.#failed(err);
    }
  }

  status(): SignerStatus {
    return this.#status;
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#status = { ready: false, reason: 'the signer is closed' };
    const connection = this.#connection;
    this.#connection = undefined;
    const kms = await connection?.catch(() => undefined);
    kms?.client.destroy();
  }

  #connect(): Promise<KmsConnection> {
    this.#connection ??= connectKms({ ...this.#options, timeoutMs: this.#timeoutMs }).catch((err: unknown) => {
      this.#connection = undefined;
      const name = err instanceof Error ? err.name : typeof err;
      throw new KmsKeyProblem(`the AWS SDK for KMS (@aws-sdk/client-kms) could not be loaded (${name})`);
    });
    return this.#connection;
  }

  /** Checks the KMS key against the configured public key once; concurrent first signatures share the check. */
  async #verifyKey(kms: KmsConnection): Promise<void> {
    if (this.#verified) return;
    this.#verifying ??= withDeadline(this.#timeoutMs, (abortSignal) =>
      kms.client.send(new kms.sdk.GetPublicKeyCommand({ KeyId: this.#options.keyId }), { abortSignal }),
    )
      .then((answer) => checkKmsKey(answer, this.fingerprint))
      .finally(() => (this.#verifying = undefined));
    await this.#verifying;
    this.#verified = true;
  }

  async #signWith(kms: KmsConnection, data: Uint8Array): Promise<Buffer> {
    const command = new kms.sdk.SignCommand({
      KeyId: this.#options.keyId,
      Message: data,
      MessageType: 'RAW',
      SigningAlgorithm: KMS_SIGNING_ALGORITHM,
    });
    const answer = await withDeadline(this.#timeoutMs, (abortSignal) => kms.client.send(command, { abortSignal }));
    if (answer.Signature === undefined) throw new KmsKeyProblem('KMS returned no signature');
    const signature = Buffer.from(answer.Signature);
    if (!verify('RSA-SHA256', data, this.publicKey, signature)) {
      // The key id now names another key (an alias repointed): the check says which.
      this.#verified = false;
      await this.#verifyKey(kms);
      throw new KmsKeyProblem('KMS returned a signature the configured public key does not verify');
    }
    return signature;
  }

  /** The KeyError a failure becomes; the status turns unready with the same reason. */
  #failed(err: unknown): KeyError {
    this.#verified = false;
    const location = this.location;
    const what = this.#options.what;
    if (err instanceof KmsKeyMismatch) {
      this.#status = { ready: false, reason: `the KMS key has fingerprint ${err.actual}, not the configured ${this.fingerprint}` };
      return new KeyError(codes.PS_ERR_SIGNER_KEY_MISMATCH, { what, location, actual: err.actual, expected: this.fingerprint });
    }
    const reason = err instanceof KmsKeyProblem ? err.reason : kmsFailureReason(err, this.#where);
    this.#status = { ready: false, reason };
    return new KeyError(codes.PS_ERR_SIGNER_UNAVAILABLE, { what, location, reason });
  }
}
