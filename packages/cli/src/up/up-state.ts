// `<dataDir>/state.json`: what a running `heddle up` chose (ports, addresses, pids), for `heddle run`,
// `heddle down`, `heddle version` and scripts. Written whole (temporary file, then rename).
import { readFile, rename, rm, writeFile } from 'node:fs/promises';

export interface UpState {
  readonly version: 1;
  readonly status: 'starting' | 'ready';
  /** The supervisor: `heddle up` itself. */
  readonly pid: number;
  readonly dataDir: string;
  readonly startedAt: string;
  readonly logsDir: string;
  readonly controlPlane: {
    /** The HTTP API: what --control-plane takes. */
    readonly url: string;
    /** Plaintext xDS, `host:port`: what sidecars connect to. */
    readonly xdsAddress: string;
    readonly pid?: number;
  };
  readonly gateway: {
    readonly address: string;
    /** The local port of Gateway port 80. */
    readonly httpPort: number;
    /** Gateway ports below 1024 listen on port + offset; others on themselves. */
    readonly portOffset: number;
    readonly adminPort: number;
    readonly healthPort: number;
    readonly pid?: number;
  };
}

export async function writeUpState(path: string, state: UpState): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(state, null, 2)}\n`);
  await rename(temporary, path);
}

/** Undefined when there is no state file or it is not one (a partial write cannot happen: see rename). */
export async function readUpState(path: string): Promise<UpState | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const state = JSON.parse(text) as Partial<UpState>;
    if (state.version !== 1 || typeof state.pid !== 'number' || typeof state.controlPlane?.url !== 'string')
      return undefined;
    return state as UpState;
  } catch {
    return undefined;
  }
}

export async function removeUpState(path: string): Promise<void> {
  await rm(path, { force: true });
}
