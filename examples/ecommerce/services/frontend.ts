// The storefront: the page at `/` gathers products (product service), the signed-in user (user service) and
// their orders (order service) in parallel; `POST /checkout` places an order. The ingress gateway routes
// everything not under /api/ here.
import { settingsFromEnv, startService, type Answer } from './lib/shop-service.ts';

const settings = settingsFromEnv('frontend');

const authorization = (headers: Record<string, string | string[] | undefined>): Record<string, string> =>
  typeof headers.authorization === 'string' ? { authorization: headers.authorization } : {};

const failed = (answer: Answer): boolean => answer.status < 200 || answer.status >= 300;

startService(settings, [
  {
    method: 'GET',
    pattern: /^\/$/,
    handle: async ({ headers }, call) => {
      const [products, user, orders] = await Promise.all([
        call('product', '/api/products'),
        call('user', '/api/users/me', { headers: authorization(headers) }),
        call('order', '/api/orders'),
      ]);
      // Without products there is no page; a missing user or order list only leaves a part empty.
      const status = failed(products) ? 502 : 200;
      return {
        status,
        body: {
          service: 'frontend',
          version: settings.version,
          productVersion: products.body.version,
          products: products.body.products ?? [],
          user: user.body.user ?? null,
          orders: Array.isArray(orders.body.orders) ? orders.body.orders.length : null,
          upstreams: { product: products.status, user: user.status, order: orders.status },
        },
      };
    },
  },
  {
    method: 'POST',
    pattern: /^\/checkout$/,
    handle: async ({ body }, call) => {
      const placed = await call('order', '/api/orders', { method: 'POST', body: body ?? { productId: '1' } });
      return {
        status: placed.status === 0 ? 502 : placed.status,
        body: { service: 'frontend', order: placed.body },
      };
    },
  },
]);
