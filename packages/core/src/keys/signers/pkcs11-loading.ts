// The PKCS#11 binding is native code and most installations never use it: it is imported on the first
// HSM key or signer only, through here, so that finalising at the end does nothing when it never loaded.
type Pkcs11Signers = typeof import('./pkcs11-signer.ts');

let loading: Promise<Pkcs11Signers> | undefined;

/** The PKCS#11 signer and key generation, loaded at first use. */
export function loadPkcs11(): Promise<Pkcs11Signers> {
  loading ??= import('./pkcs11-signer.ts');
  return loading;
}

/** Finalises and unloads every PKCS#11 module this process loaded (at the end of a process or a test); nothing when none was. */
export async function finalizePkcs11Modules(): Promise<void> {
  if (loading) await (await loading).finalizePkcs11Modules();
}
