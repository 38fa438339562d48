// The pipe a supervised child inherits from its supervisor: end-of-file on it means the supervisor is gone.
import { Socket } from 'node:net';

/** The child's file descriptor of the liveness pipe (after stdin, stdout, stderr). */
export const LIVENESS_FD = 3;

/** The environment variable that tells a child its fd 3 is the liveness pipe. */
export const LIVENESS_ENV = 'HEDDLE_SUPERVISOR_PIPE';

/**
 * Calls `onGone` once when the supervisor's end of the pipe closes (the supervisor exited, however it
 * exited: even SIGKILL closes its descriptors). The watch never keeps the process alive by itself.
 */
export function watchSupervisor(onGone: () => void): boolean {
  if (process.env[LIVENESS_ENV] !== String(LIVENESS_FD)) return false;
  let socket: Socket;
  try {
    socket = new Socket({ fd: LIVENESS_FD, readable: true, writable: false });
  } catch {
    return false;
  }
  let fired = false;
  const gone = (): void => {
    if (fired) return;
    fired = true;
    onGone();
  };
  // The supervisor never writes; any data is ignored, only the end matters.
  socket.on('data', () => undefined);
  socket.on('end', gone);
  socket.on('close', gone);
  socket.on('error', gone);
  socket.unref();
  return true;
}
