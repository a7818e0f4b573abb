// Authenticated commands: which upstream signed a command, and whether it may send it.
export {
  commandKeyId,
  loadCommandSigningKey,
  parseCommandPublicKeys,
  type CommandAuthSettings,
  type CommandKeyMaterial,
  type CommandKeySource,
  type UpstreamGrant,
  type UpstreamKey,
} from './command-keys.ts';
export { CommandKeyRing, type CommandKeyRingOptions } from './command-key-ring.ts';
export { FileCommandKeySource } from './file-command-keys.ts';
export {
  signCommand,
  signerDenies,
  verifyCommand,
  type CommandSigner,
  type CommandVerdict,
  type HeaderValue,
  type SignedCommand,
} from './verify.ts';
