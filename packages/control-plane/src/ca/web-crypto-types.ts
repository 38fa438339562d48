// WebCrypto's types from node:crypto (the workspace compiles without the DOM library that declares them).
import type { webcrypto } from 'node:crypto';

export type CryptoKey = webcrypto.CryptoKey;
export type CryptoKeyPair = webcrypto.CryptoKeyPair;
export type EcKeyGenParams = webcrypto.EcKeyGenParams;
export type EcKeyImportParams = webcrypto.EcKeyImportParams;
export type EcdsaParams = webcrypto.EcdsaParams;
export type RsaHashedKeyGenParams = webcrypto.RsaHashedKeyGenParams;
export type RsaHashedImportParams = webcrypto.RsaHashedImportParams;
export type Algorithm = webcrypto.Algorithm;
