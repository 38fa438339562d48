// The few `Reflect` metadata functions that @peculiar/x509's dependency injector (tsyringe) looks for when it
// loads; the `reflect-metadata` package is not installed, and the injector only stores and reads metadata.
type Target = object;
type Store = WeakMap<Target, Map<unknown, unknown>>;

const reflect = Reflect as unknown as Record<string, unknown>;

if (typeof reflect.getMetadata !== 'function') {
  const store: Store = new WeakMap();
  const own = (target: Target): Map<unknown, unknown> => {
    let map = store.get(target);
    if (!map) {
      map = new Map();
      store.set(target, map);
    }
    return map;
  };
  const find = (key: unknown, target: Target): unknown => {
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
    getMetadata: find,
    hasMetadata: (key: unknown, target: Target) => find(key, target) !== undefined,
    metadata: (key: unknown, value: unknown) => (target: Target) => void own(target).set(key, value),
  });
}
