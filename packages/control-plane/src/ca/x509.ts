// @peculiar/x509 on node:crypto's WebCrypto, loaded after the metadata shim it needs (import order matters).
import './reflect-metadata-shim.ts';
import { webcrypto } from 'node:crypto';

export * from '@peculiar/x509';

/** node:crypto's WebCrypto, passed explicitly to every @peculiar/x509 call. */
export const webCrypto = webcrypto;
