// @peculiar/x509 registers its parsers through tsyringe, which insists on the `Reflect` metadata API at load
// time; the reflect-metadata package is not a dependency, so a minimal keyed store stands in for it.
type Target = object;

const api = Reflect as unknown as Record<string, unknown>;

if (typeof api.getMetadata !== 'function') {
  const tables = new WeakMap<Target, Map<unknown, unknown>>();
  const tableOf = (target: Target): Map<unknown, unknown> => {
    const existing = tables.get(target);
    if (existing) return existing;
    const created = new Map<unknown, unknown>();
    tables.set(target, created);
    return created;
  };
  /** Looks along the prototype chain, as Reflect.getMetadata does. */
  const lookup = (key: unknown, target: Target): unknown => {
    let current: Target | null = target;
    while (current) {
      const table = tables.get(current);
      if (table?.has(key)) return table.get(key);
      current = Object.getPrototypeOf(current) as Target | null;
    }
    return undefined;
  };
  api.defineMetadata = (key: unknown, value: unknown, target: Target): void => {
    tableOf(target).set(key, value);
  };
  api.getOwnMetadata = (key: unknown, target: Target): unknown => tables.get(target)?.get(key);
  api.hasOwnMetadata = (key: unknown, target: Target): boolean => tables.get(target)?.has(key) === true;
  api.getMetadata = lookup;
  api.hasMetadata = (key: unknown, target: Target): boolean => lookup(key, target) !== undefined;
  api.metadata =
    (key: unknown, value: unknown) =>
    (target: Target): void => {
      tableOf(target).set(key, value);
    };
}
