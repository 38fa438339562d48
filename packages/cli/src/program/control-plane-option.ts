// The `--control-plane <url>` option every client verb takes, and the client it selects.
import { Option } from 'commander';
import type { CliIo } from '../cli-io.ts';
import { ControlPlaneClient } from '../client/control-plane-client.ts';
import {
  CONTROL_PLANE_ENV,
  DEFAULT_CONTROL_PLANE_URL,
  resolveControlPlaneUrl,
} from '../client/control-plane-url.ts';

export interface ControlPlaneOptions {
  readonly controlPlane?: string;
}

export function controlPlaneOption(): Option {
  return new Option(
    '--control-plane <url>',
    `the control plane's HTTP API (default: $${CONTROL_PLANE_ENV}, else ${DEFAULT_CONTROL_PLANE_URL})`,
  );
}

export function controlPlaneClient(options: ControlPlaneOptions, io: CliIo): ControlPlaneClient {
  return new ControlPlaneClient(resolveControlPlaneUrl(options.controlPlane, io.env));
}
