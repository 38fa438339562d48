// The `Reflect` metadata functions @peculiar/x509's dependency injector looks up when it loads (the
// `reflect-metadata` package is not installed). Import this module before @peculiar/x509.
type Target = object;

const reflect = Reflect as unknown as Record<string, unknown>;

if (typeof reflect.getMetadata !== 'function') {
  const store = new WeakMap<Target, Map<unknown, unknown>>();
  const own = (target: Target): Map<unknown, unknown> => {
    const found = store.get(target);
    if (found) return found;
    const created = new Map<unknown, unknown>();
    store.set(target, created);
    return created;
  };
  const lookUp = (key: unknown, target: Target): unknown => {
    for (let at: Target | null = target; at; at = Object.getPrototypeOf(at) as Target | null) {
      const map = store.get(at);
      if (map?.has(key)) return map.get(key);
    }
    return undefined;
  };
  Object.assign(reflect, {
    defineMetadata: (key: unknown, value: unknown, target: Target) => void own(target).set(key, value),
    getOwnMetadata: (key: unknown, target: Target) => store.get(target)?.get(key),
    hasOwnMetadata: (key: unknown, target: Target) => store.get(target)?.has(key) ?? false,
    getMetadata: lookUp,
    hasMetadata: (key: unknown, target: Target) => lookUp(key, target) !== undefined,
    metadata: (key: unknown, value: unknown) => (target: Target) => void own(target).set(key, value),
  });
}
