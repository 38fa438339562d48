// The product service, in two versions (SERVICE_VERSION): each product with its price (price service) and
// stock (inventory service); v2 adds customer ratings, the feature the canary rolls out.
import { CATALOG, requestedIds } from './lib/catalog.ts';
import { settingsFromEnv, startService, type Call } from './lib/shop-service.ts';

const settings = settingsFromEnv('product');

async function products(ids: readonly string[], call: Call): Promise<{ status: number; body: unknown }> {
  const query = `?ids=${ids.join(',')}`;
  const [prices, stock] = await Promise.all([
    call('price', `/api/prices${query}`),
    call('inventory', `/api/inventory${query}`),
  ]);
  if (prices.status !== 200)
    return { status: 502, body: { error: 'price service failed', status: prices.status } };
  const priceOf = (prices.body.prices ?? {}) as Record<string, number>;
  const stockOf = (stock.body.items ?? {}) as Record<string, number>;
  const items = ids.map((id) => ({
    id,
    name: CATALOG[id],
    price: priceOf[id],
    // Inventory is optional on the page: unknown stock rather than no page.
    stock: stock.status === 200 ? stockOf[id] : null,
    ...(settings.version === 'v2' ? { rating: 3.5 + (Number(id) % 3) * 0.5 } : {}),
  }));
  return { status: 200, body: { service: 'product', version: settings.version, products: items } };
}

startService(settings, [
  {
    method: 'GET',
    pattern: /^\/api\/products\/?$/,
    handle: ({ query }, call) => products(requestedIds(query), call),
  },
  {
    method: 'GET',
    pattern: /^\/api\/products\/([^/]+)$/,
    handle: async ({ params }, call) => {
      const id = params[0] ?? '';
      if (!(id in CATALOG))
        return { status: 404, body: { error: `no product ${id}`, version: settings.version } };
      return products([id], call);
    },
  },
]);
