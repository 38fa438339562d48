// The order service: lists orders, and places one by reserving stock (inventory service) and charging for it
// (payment service). Its AuthorizationPolicy lets only the frontend, the user service and the ingress gateway
// call it.
import { productIdOf } from './lib/catalog.ts';
import { settingsFromEnv, startService } from './lib/shop-service.ts';

const settings = settingsFromEnv('order');
const orders: { id: number; productId: string; paymentId: unknown }[] = [];

startService(settings, [
  {
    method: 'GET',
    pattern: /^\/api\/orders\/?$/,
    handle: () => Promise.resolve({ body: { service: 'order', orders: orders.slice(-10) } }),
  },
  {
    method: 'POST',
    pattern: /^\/api\/orders\/?$/,
    handle: async ({ body }, call) => {
      const productId = productIdOf(body);
      const reserved = await call('inventory', '/api/inventory/reserve', {
        method: 'POST',
        body: { productId },
      });
      if (reserved.status !== 200)
        return { status: 502, body: { error: 'inventory failed', status: reserved.status } };
      const paid = await call('payment', '/api/payments', { method: 'POST', body: { productId } });
      if (paid.status !== 200) return { status: 502, body: { error: 'payment failed', status: paid.status } };
      const order = { id: orders.length + 1, productId, paymentId: paid.body.paymentId };
      orders.push(order);
      if (orders.length > 1000) orders.splice(0, orders.length - 1000);
      return { status: 201, body: { service: 'order', order } };
    },
  },
]);
