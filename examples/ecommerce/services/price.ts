// The price service: the price of each product, in cents.
import { requestedIds } from './lib/catalog.ts';
import { settingsFromEnv, startService } from './lib/shop-service.ts';

const settings = settingsFromEnv('price');

startService(settings, [
  {
    method: 'GET',
    pattern: /^\/api\/prices\/?$/,
    handle: ({ query }) =>
      Promise.resolve({
        body: {
          service: 'price',
          currency: 'EUR',
          prices: Object.fromEntries(requestedIds(query).map((id) => [id, 990 + Number(id) * 1000])),
        },
      }),
  },
]);
