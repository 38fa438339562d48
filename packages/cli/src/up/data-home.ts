// Where `heddle up` keeps its state (config store, logs, pid and state files): --data-dir, else
// $HEDDLE_HOME, else ~/.heddle. `heddle run`, `down` and `version` look in the same place.
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export const HEDDLE_HOME_ENV = 'HEDDLE_HOME';

export function resolveDataHome(
  option: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
  home: string = homedir(),
): string {
  if (option !== undefined && option !== '') return resolve(cwd, option);
  const fromEnv = env[HEDDLE_HOME_ENV];
  if (fromEnv !== undefined && fromEnv !== '') return resolve(cwd, fromEnv);
  return join(home, '.heddle');
}

/** The parts of the data directory, by what they hold. */
export function dataPaths(dataDir: string) {
  return {
    pidFile: join(dataDir, 'heddle.pid'),
    stateFile: join(dataDir, 'state.json'),
    controlPlane: join(dataDir, 'control'),
    gatewayBootstrap: join(dataDir, 'gateway', 'bootstrap.json'),
    gatewayToken: join(dataDir, 'gateway', 'join-token'),
    logs: join(dataDir, 'logs'),
    /** One folder per `heddle run` workload (its sidecar's bootstrap). */
    workloads: join(dataDir, 'workloads'),
  } as const;
}
