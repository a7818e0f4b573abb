// The requests the client sends, with every header Midtrans asks for. A request is built anew for
// each attempt, so a retry carries the same bytes and X-EXTERNAL-ID with a fresh timestamp and signature.
import type { ConnectionOptions } from 'node:tls';
import type { CoreConfig } from '../config/schema.ts';
import type { MerchantKeys } from '../keys/key-ring.ts';
import { coreBasicAuth, tokenStringToSign, transactionSignature } from '../signing/snap-signatures.ts';
import { snapTimestamp } from '../timestamp.ts';
import { outboundTlsOptions, type ApiFamily, type OutboundTlsConfig } from '../tls/policy.ts';
import { codes } from '../error-catalogue/index.ts';
import { MidtransError, type CoreApiCall, type SnapCall } from './facade.ts';
import type { SendRequest } from './transport.ts';

export const TOKEN_PATH = '/v1.0/access-token/b2b';
const encoder = new TextEncoder();

export class SignedRequests {
  readonly #config: Readonly<CoreConfig>;
  readonly #tls: Record<ApiFamily, ConnectionOptions>;

  /** `extraTls`: trust and client certificates already read from the files named in config.tls. */
  constructor(config: Readonly<CoreConfig>, extraTls?: OutboundTlsConfig) {
    this.#config = config;
    const tls = { allowTls12ForSnap: config.tls.allowTls12ForSnap, spkiPins: config.tls.spkiPins, ...extraTls };
    this.#tls = { snap: outboundTlsOptions(tls, 'snap'), core: outboundTlsOptions(tls, 'core') };
  }

  snap(call: SnapCall, keys: MerchantKeys, token: string, body: Uint8Array): SendRequest {
    const timestamp = snapTimestamp();
    const signature = transactionSignature(
      { method: 'POST', path: call.path, accessToken: token, body, timestamp },
      keys.clientSecret.reveal(),
    );
    return {
      origin: this.#config.snapBaseUrl,
      tls: this.#tls.snap,
      method: 'POST',
      path: new URL(this.#config.snapBaseUrl).pathname.replace(/\/$/, '') + call.path,
      body,
      timeoutMs: call.timeoutMs ?? this.#config.http.totalTimeoutMs,
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        authorization: `Bearer ${token}`,
        'x-timestamp': timestamp,
        'x-signature': signature,
        'x-partner-id': keys.partnerId,
        'x-external-id': call.externalId,
        'channel-id': keys.channelId,
        'x-device-id': keys.deviceId,
      },
    };
  }

  core(call: CoreApiCall, keys: MerchantKeys, body: Uint8Array | undefined): SendRequest {
    if (!keys.serverKey) {
      throw new MidtransError('credentials-revoked', codes.PS_ERR_MIDTRANS_NO_SERVER_KEY, { merchant: keys.name });
    }
    return {
      origin: this.#config.coreBaseUrl,
      tls: this.#tls.core,
      method: call.method,
      path: new URL(this.#config.coreBaseUrl).pathname.replace(/\/$/, '') + call.path,
      timeoutMs: call.timeoutMs ?? this.#config.http.totalTimeoutMs,
      ...(body ? { body } : {}),
      headers: {
        accept: 'application/json',
        authorization: coreBasicAuth(keys.serverKey.reveal()),
        ...(body ? { 'content-type': 'application/json' } : {}),
        ...(call.idempotencyKey ? { 'idempotency-key': call.idempotencyKey } : {}),
      },
    };
  }

  /** The B2B access-token request, signed by the merchant's signer (a file, an HSM or a KMS key). */
  async token(keys: MerchantKeys): Promise<SendRequest> {
    const timestamp = snapTimestamp();
    const signature = await keys.signer.sign(encoder.encode(tokenStringToSign(keys.clientId, timestamp)));
    return {
      origin: this.#config.snapBaseUrl,
      tls: this.#tls.snap,
      method: 'POST',
      path: new URL(this.#config.snapBaseUrl).pathname.replace(/\/$/, '') + TOKEN_PATH,
      body: encoder.encode('{"grantType":"client_credentials"}'),
      timeoutMs: this.#config.http.totalTimeoutMs,
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        'x-timestamp': timestamp,
        'x-client-key': keys.clientId,
        'x-signature': signature.toString('base64'),
      },
    };
  }
}
