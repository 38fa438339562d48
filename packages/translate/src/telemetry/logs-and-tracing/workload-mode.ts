// Which Telemetry `match.mode` a connection manager is: the proxy as client (outbound, gateways) or server.
import type { WorkloadMode } from '@heddle/api';
import type { HttpListenerClass } from '../../listener/hcm-hooks.ts';

export type TrafficDirection = 'CLIENT' | 'SERVER';

/** Gateways originate the requests they forward, so Istio treats them as clients. */
export function directionOf(listenerClass: HttpListenerClass): TrafficDirection {
  return listenerClass === 'sidecar-inbound' ? 'SERVER' : 'CLIENT';
}

export function modeMatches(mode: WorkloadMode | undefined, direction: TrafficDirection): boolean {
  return mode === undefined || mode === 'CLIENT_AND_SERVER' || mode === direction;
}
