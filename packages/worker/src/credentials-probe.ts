// Requests the worker sends Midtrans of its own accord, never for an order: whether a credential set
// works (refused credentials pause consumption, and this probe is what lets it resume), and whether
// Midtrans answers again once a circuit breaker lets a call through.
import { randomUUID } from 'node:crypto';
import { MidtransError, type CoreServices } from '@paystream/core';
import type { ProbeVerdict } from '@paystream/runtime';

/** Where BI-SNAP is asked: a status inquiry about an order that does not exist, answered "not found" once the request is authenticated. */
export const SNAP_PROBE = {
  path: '/v1.0/debit/status',
  body: { originalPartnerReferenceNo: 'paystream-credentials-check', serviceCode: '54' },
} as const;
export const CORE_PROBE_PATH = '/v2/paystream-credentials-check/status';

/** One signed request of (merchant, family) about no order; throws what the client throws. */
export async function probeMidtrans(core: Pick<CoreServices, 'client'>, merchant: string, family: 'snap' | 'core'): Promise<void> {
  if (family === 'snap') await core.client.snap({ ...SNAP_PROBE, externalId: randomUUID(), merchant });
  else await core.client.coreApi({ method: 'GET', path: CORE_PROBE_PATH, merchant });
}

/**
 * `valid` when Midtrans authenticates a request of (merchant, family): for BI-SNAP a fresh access
 * token (the private key) and a signed inquiry (the client secret — a rotated secret not yet loaded
 * still gets tokens, and would resume consumption only to have every call refused); for the Core API
 * a request with the server key.
 */
export async function probeCredentials(
  core: Pick<CoreServices, 'client' | 'keyRing'>,
  merchant: string,
  family: 'snap' | 'core',
): Promise<ProbeVerdict> {
  if (core.keyRing.merchant(merchant).revoked) return 'refused';
  try {
    if (family === 'snap') core.client.tokens.clear(merchant);
    await probeMidtrans(core, merchant, family);
    return 'valid';
  } catch (err) {
    if (!MidtransError.is(err)) return 'unknown';
    return err.kind === 'auth' || err.kind === 'credentials-revoked' || err.kind === 'key-unavailable' ? 'refused' : 'unknown';
  }
}
