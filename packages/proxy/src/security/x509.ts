// @peculiar/x509, loaded only after the Reflect metadata stand-in it needs (order matters). The running
// proxy does not load it (its certificate requests are encoded in pkcs10-request.ts); tests read them with it.
import './reflect-metadata.ts';

export * from '@peculiar/x509';
