// Who the app of a transparent workload runs as: the user who invoked `sudo heddle run` (SUDO_UID), else
// `heddle run`'s own user. Never the sidecar's uid, whose connections the capture rules let through.
import { UsageError } from '../../usage-error.ts';
import { PROXY_UID } from './capture-rules.ts';

/** `setpriv` options that switch to the invoking user; none when that is already who runs. */
export function appUserOptions(env: Readonly<Record<string, string | undefined>>, ownUid: number): string[] {
  const uid = Number(env.SUDO_UID);
  const gid = Number(env.SUDO_GID);
  const invoker = Number.isInteger(uid) && env.SUDO_UID !== undefined && env.SUDO_UID !== '' ? uid : ownUid;
  if (invoker === PROXY_UID)
    throw new UsageError(
      `the app cannot run as uid ${PROXY_UID}: that is the sidecar's, and its traffic is not captured`,
      'Run heddle run as another user.',
    );
  if (invoker === ownUid) return [];
  return [
    `--reuid=${invoker}`,
    `--regid=${Number.isInteger(gid) && env.SUDO_GID !== '' ? gid : invoker}`,
    env.SUDO_USER !== undefined && env.SUDO_USER !== '' ? '--init-groups' : '--clear-groups',
  ];
}
