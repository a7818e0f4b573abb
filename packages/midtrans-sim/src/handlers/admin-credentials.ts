// Admin routes for the key lifecycle: Midtrans' notification key, the merchant's key and client
// secret, and revoking or reissuing the merchant's credentials.
import type { ServerResponse } from 'node:http';
import { CredentialRefusal, endTransition, issueCredentials, registerMerchantKey, rotateClientSecret } from '../credentials.ts';
import { send, type AdminRoutes } from './admin-call.ts';

/** Runs a key-lifecycle request, answering its refusal (400, 409) instead of throwing. */
function lifecycle(res: ServerResponse, act: () => unknown): void {
  try {
    send(res, 200, act());
  } catch (err) {
    if (!(err instanceof CredentialRefusal)) throw err;
    send(res, err.http, { error: err.message });
  }
}

export const credentialRoutes: AdminRoutes = {
  'POST /announce-midtrans-key': ({ ctx, res }) => {
    send(res, 200, { midtransPublicKeyPem: ctx.midtransKeys.announce() });
  },
  'POST /rotate-midtrans-key': ({ ctx, res }) => {
    send(res, 200, { midtransPublicKeyPem: ctx.midtransKeys.rotate() });
  },
  'POST /merchant-public-key': ({ ctx, res, body }) => {
    lifecycle(res, () => {
      registerMerchantKey(ctx.creds, body['publicKeyPem']);
      return { acceptedKeys: ctx.creds.merchantPublicKeys.length };
    });
  },
  'POST /rotate-client-secret': ({ ctx, res }) => {
    lifecycle(res, () => ({ clientSecret: rotateClientSecret(ctx.creds) }));
  },
  'POST /end-transition': ({ ctx, res }) => {
    endTransition(ctx.creds);
    send(res, 200, { acceptedKeys: 1, acceptedSecrets: 1 });
  },
  'POST /issue-credentials': ({ ctx, res, body }) => {
    lifecycle(res, () => {
      const clientSecret = issueCredentials(ctx.creds, body['merchantPublicKeyPem']);
      ctx.store.tokens.clear();
      return { clientSecret };
    });
  },
  'POST /revoke': ({ ctx, res }) => {
    ctx.creds.revoked = true;
    ctx.store.tokens.clear();
    send(res, 200, { revoked: true });
  },
  'POST /reinstate': ({ ctx, res }) => {
    ctx.creds.revoked = false;
    send(res, 200, { revoked: false });
  },
};
