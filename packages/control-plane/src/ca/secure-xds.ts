// The TLS port for ADS and the CA (Istio's 15012): where it listens, and binding it on the shared gRPC server.
import type { Server, ServerCredentials } from '@grpc/grpc-js';
import { CONTROL_PLANE_CODES, ControlPlaneError } from '../errors.ts';
import type { Logger } from '../server/logger.ts';
import { parseListenAddress, type ListenAddress } from '../server/parse-address.ts';
import type { MeshCa } from './mesh-ca.ts';
import { ServerIdentity } from './server-identity.ts';

export const DEFAULT_SECURE_XDS_ADDRESS = '127.0.0.1:15012';

export interface SecureXdsChoice {
  readonly secureXdsAddress?: string | false;
  /** The plaintext address as the caller gave it. */
  readonly xdsAddress?: string;
  readonly caEnabled: boolean;
}

/**
 * The TLS listen address, or undefined for none. Left unset, it is 127.0.0.1:15012 when the plaintext address
 * is left at its default too; a caller that picks the plaintext address (tests use port 0) picks this one as well.
 */
export function secureXdsAddressOf(choice: SecureXdsChoice): ListenAddress | undefined {
  const { secureXdsAddress } = choice;
  if (secureXdsAddress === false) return undefined;
  if (secureXdsAddress === undefined) {
    if (choice.xdsAddress !== undefined || !choice.caEnabled) return undefined;
    return parseListenAddress(DEFAULT_SECURE_XDS_ADDRESS, 'secureXdsAddress');
  }
  if (!choice.caEnabled) {
    throw new ControlPlaneError(
      CONTROL_PLANE_CODES.CA_DISABLED,
      'secureXdsAddress needs the certificate authority (its TLS certificate comes from it); remove `ca: false`',
    );
  }
  return parseListenAddress(secureXdsAddress, 'secureXdsAddress');
}

export interface SecureXdsListener {
  readonly port: number;
  readonly identity: ServerIdentity;
}

/** Binds the TLS port on the server that already carries ADS and the CA service; returns the bound port. */
export async function bindSecureXds(
  server: Server,
  address: ListenAddress,
  ca: MeshCa,
  logger: Logger,
): Promise<SecureXdsListener> {
  const identity = await ServerIdentity.start(ca.authority, address.host, logger);
  try {
    const port = await bind(server, address, identity.credentials());
    logger.info('secure xDS and CA listening', { address: `${address.host}:${port}` });
    return { port, identity };
  } catch (error) {
    identity.close();
    throw error;
  }
}

function bind(server: Server, address: ListenAddress, credentials: ServerCredentials): Promise<number> {
  const host = address.host.includes(':') ? `[${address.host}]` : address.host;
  return new Promise((resolve, reject) => {
    server.bindAsync(`${host}:${address.port}`, credentials, (error, port) =>
      error ? reject(error) : resolve(port),
    );
  });
}
