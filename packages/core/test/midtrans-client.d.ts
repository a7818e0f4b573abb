// The official Midtrans Node client ships no types; only what the cross-checks call is declared.
declare module 'midtrans-client' {
  interface SnapBiStatics {
    getSymmetricSignatureHmacSh512(accessToken: string, requestBody: unknown, method: string, path: string, clientSecret: string, timeStamp: string): string;
    getAsymmetricSignatureSha256WithRsa(clientId: string, xTimeStamp: string, privateKey: string): string;
  }
  const client: { SnapBi: SnapBiStatics };
  export default client;
}
