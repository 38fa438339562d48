// Ports for the components on one machine: a fixed port is checked free before anything starts (one clear
// line when it is taken); port 0 becomes a free port chosen now, so every component knows its peers' ports.
import { createServer, type Server } from 'node:net';
import { ensureAddressFree } from '../control/ensure-address-free.ts';
import { ephemeralRange, rangeOutside, type PortRange } from './outside-ephemeral-range.ts';
import { PortReservations, RESERVED_MS } from './port-reservations.ts';

export interface PortRequest {
  /** What the port is for, in messages: `HTTP API`, `ingress gateway (Gateway port 80)`. */
  readonly role: string;
  /** 0 for any free port. */
  readonly port: number;
}

/** Checks the fixed ports and picks the free ones; the result is in the order of the requests. */
export async function allocatePorts(host: string, requests: readonly PortRequest[]): Promise<number[]> {
  for (const request of requests) {
    if (request.port !== 0) await ensureAddressFree({ host, port: request.port }, request.role);
  }
  // All picked sockets stay open until every port is chosen, so no two requests get the same port.
  const held: Server[] = [];
  const outside = rangeOutside(ephemeralRange());
  try {
    const ports: number[] = [];
    for (const request of requests) {
      if (request.port !== 0) {
        ports.push(request.port);
        continue;
      }
      const server = await holdFreePort(host, outside);
      held.push(server);
      const address = server.address();
      ports.push(typeof address === 'object' && address !== null ? address.port : 0);
    }
    return ports;
  } finally {
    await Promise.all(held.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  }
}

const RANDOM_TRIES = 50;
/** Ports handed out by this process, and when: several callers at once (the workloads of `heddle demo`) must
 * not get a port that another has chosen but not bound yet. */
const handedOut = new Map<number, number>();
/** The same across the Heddle processes of this machine (`heddle up` and `heddle run` side by side). */
const reservations = new PortReservations();
let swept = false;

/**
 * A listening socket on a free port: a random one outside the ephemeral range when there is such a range (the
 * port is bound again later, by another process), else whatever port 0 gives.
 */
async function holdFreePort(host: string, range: PortRange | undefined): Promise<Server> {
  const now = Date.now();
  for (const [port, at] of handedOut) if (now - at > RESERVED_MS) handedOut.delete(port);
  if (!swept) {
    swept = true;
    reservations.sweep();
  }
  for (let attempt = 0; attempt < RANDOM_TRIES; attempt++) {
    const port =
      range === undefined ? 0 : range.low + Math.floor(Math.random() * (range.high - range.low + 1));
    if (handedOut.has(port)) continue;
    const server = await listenOn(host, port).catch(() => undefined);
    const address = server?.address();
    const bound = typeof address === 'object' && address !== null ? address.port : 0;
    if (server && !handedOut.has(bound) && (range === undefined || reservations.reserve(bound))) {
      handedOut.set(bound, now);
      return server;
    }
    server?.close();
  }
  return listenOn(host, 0);
}

/**
 * Reserves a port chosen some other way (a partner at a fixed distance from an allocated one) as allocatePorts
 * reserves its own; false when another caller here or another Heddle process on this machine has it.
 */
export function reservePort(port: number): boolean {
  if (handedOut.has(port) || !reservations.reserve(port)) return false;
  handedOut.set(port, Date.now());
  return true;
}

function listenOn(host: string, port: number): Promise<Server> {
  const server = createServer();
  return new Promise<Server>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port, exclusive: true }, () => resolve(server));
  });
}
