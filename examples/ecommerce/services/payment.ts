// The payment service: charges for an order (always successfully, unless ERROR_RATE says otherwise).
import { randomUUID } from 'node:crypto';
import { settingsFromEnv, startService } from './lib/shop-service.ts';

const settings = settingsFromEnv('payment');

startService(settings, [
  {
    method: 'POST',
    pattern: /^\/api\/payments\/?$/,
    handle: () =>
      Promise.resolve({ body: { service: 'payment', paymentId: randomUUID(), status: 'captured' } }),
  },
]);
