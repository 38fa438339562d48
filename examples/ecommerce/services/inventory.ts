// The inventory service: stock per product, and reservations for orders.
import { productIdOf, requestedIds } from './lib/catalog.ts';
import { settingsFromEnv, startService } from './lib/shop-service.ts';

const settings = settingsFromEnv('inventory');
const stock = new Map<string, number>([
  ['1', 40],
  ['2', 12],
  ['3', 25],
  ['4', 8],
  ['5', 100],
]);

startService(settings, [
  {
    method: 'GET',
    pattern: /^\/api\/inventory\/?$/,
    handle: ({ query }) =>
      Promise.resolve({
        body: {
          service: 'inventory',
          items: Object.fromEntries(requestedIds(query).map((id) => [id, stock.get(id) ?? 0])),
        },
      }),
  },
  {
    method: 'POST',
    pattern: /^\/api\/inventory\/reserve$/,
    handle: ({ body }) => {
      const id = productIdOf(body);
      const left = stock.get(id) ?? 0;
      // The demo never runs out: stock is topped up instead of refusing orders.
      stock.set(id, left > 1 ? left - 1 : 100);
      return Promise.resolve({ body: { service: 'inventory', reserved: id } });
    },
  },
]);
