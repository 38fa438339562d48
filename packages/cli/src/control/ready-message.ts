// What `heddle control` prints once it listens: addresses for people (text) or scripts (one JSON line).

export interface ReadyInfo {
  readonly instance: string;
  readonly version: string;
  /** `host:port` as bound (the OS's pick for port 0). */
  readonly xdsAddress: string;
  readonly httpAddress: string;
  /** What to pass to --control-plane. */
  readonly controlPlaneUrl: string;
  readonly dataDir: string;
}

export type ReadyFormat = 'text' | 'json';

export function readyMessage(info: ReadyInfo, format: ReadyFormat): string {
  if (format === 'json') return `${JSON.stringify({ status: 'ready', ...info })}\n`;
  return [
    `Heddle control plane ready (instance ${info.instance}, version ${info.version})`,
    `  xDS (gRPC, plaintext)  ${info.xdsAddress}`,
    `  HTTP API and debug     ${info.controlPlaneUrl}`,
    `  data directory         ${info.dataDir}`,
    'Stop with Ctrl+C (SIGINT) or SIGTERM.',
    '',
  ].join('\n');
}
