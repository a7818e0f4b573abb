// The official Midtrans Node client ships no types; only what our cross-checks, the simulator's
// tests and the benchmarks call is declared here.
declare module 'midtrans-client' {
  interface SnapBiRequest {
    withBody(body: unknown): SnapBiRequest;
    withTimeout(ms: number): SnapBiRequest;
    createPayment(externalId: string): Promise<Record<string, unknown>>;
    getStatus(externalId: string): Promise<Record<string, unknown>>;
    cancel(externalId: string): Promise<Record<string, unknown>>;
    refund(externalId: string): Promise<Record<string, unknown>>;
  }
  interface SnapBiNotification {
    withNotificationPayload(payload: unknown): SnapBiNotification;
    withSignature(signature: string): SnapBiNotification;
    withTimeStamp(timestamp: string): SnapBiNotification;
    withNotificationUrlPath(path: string): SnapBiNotification;
    isWebhookNotificationVerified(): boolean;
  }
  interface SnapBiStatics {
    getSymmetricSignatureHmacSh512(
      accessToken: string,
      requestBody: unknown,
      method: string,
      path: string,
      clientSecret: string,
      timeStamp: string,
    ): string;
    getAsymmetricSignatureSha256WithRsa(clientId: string, xTimeStamp: string, privateKey: string): string;
    directDebit(): SnapBiRequest;
    notification(): SnapBiNotification;
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
  interface CoreApiInstance {
    charge(parameter: unknown): Promise<Record<string, unknown>>;
    cardToken(parameter: Record<string, string>): Promise<Record<string, unknown>>;
    transaction: {
      status(id: string): Promise<Record<string, unknown>>;
      cancel(id: string): Promise<Record<string, unknown>>;
      refund(id: string, parameter?: unknown): Promise<Record<string, unknown>>;
    };
  }
  const client: {
    SnapBi: SnapBiStatics;
    SnapBiConfig: SnapBiConfigStatics;
    CoreApi: new (options: { isProduction: boolean; serverKey: string; clientKey: string }) => CoreApiInstance;
  };
  export default client;
}

declare module 'midtrans-client/lib/apiConfig.js' {
  const ApiConfig: { CORE_SANDBOX_BASE_URL: string };
  export default ApiConfig;
}
