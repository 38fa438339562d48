// Runs a synchronous store operation as the async contract requires: a throw becomes a rejection.

export function asPromise<T>(operation: () => T): Promise<T> {
  return new Promise<T>((resolve) => resolve(operation()));
}
