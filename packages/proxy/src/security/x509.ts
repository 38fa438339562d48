// @peculiar/x509 for the proxy, loaded only after the Reflect metadata stand-in it needs (order matters).
import './reflect-metadata.ts';

export * from '@peculiar/x509';
