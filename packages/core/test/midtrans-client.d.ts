// The official Midtrans Node client ships no types; only what our cross-checks and benchmarks call
// is declared here.
declare module 'midtrans-client' {
  interface SnapBiRequest {
    withBody(body: unknown): SnapBiRequest;
    withTimeout(ms: number): SnapBiRequest;
    createPayment(externalId: string): Promise<Record<string, unknown>>;
    getStatus(externalId: string): Promise<Record<string, unknown>>;
    cancel(externalId: string): Promise<Record<string, unknown>>;
    refund(externalId: string): Promise<Record<string, unknown>>;
  }
  interface SnapBiStatics {
    getSymmetricSignatureHmacSh512(accessToken: string, requestBody: unknown, method: string, path: string, clientSecret: string, timeStamp: string): string;
    getAsymmetricSignatureSha256WithRsa(clientId: string, xTimeStamp: string, privateKey: string): string;
    directDebit(): SnapBiRequest;
    va(): SnapBiRequest;
    qris(): SnapBiRequest;
  }
  interface SnapBiConfigStatics {
    SNAP_BI_SANDBOX_BASE_URL: string;
    isProduction: boolean;
    snapBiClientId: string | null;
    snapBiPrivateKey: string | null;
    snapBiClientSecret: string | null;
    snapBiPartnerId: string | null;
    snapBiChannelId: string | null;
    snapBiPublicKey: string | null;
  }
  const client: { SnapBi: SnapBiStatics; SnapBiConfig: SnapBiConfigStatics };
  export default client;
}
