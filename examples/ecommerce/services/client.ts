// A workload with no port of its own: a client in the mesh (service account `demo-client`). The demo sends
// requests through its sidecar's HTTP proxy port to show that the order service refuses callers its
// AuthorizationPolicy does not name.
process.stdout.write(`mesh client ready; calls go through ${process.env.HTTP_PROXY ?? '(no HTTP_PROXY)'}\n`);
const idle = setInterval(() => undefined, 60_000);
const stop = (): void => {
  clearInterval(idle);
  process.exit(0);
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
