// The user service: who is signed in, asked of the auth service with the token the frontend passes on.
import { settingsFromEnv, startService } from './lib/shop-service.ts';

const settings = settingsFromEnv('user');

startService(settings, [
  {
    method: 'GET',
    pattern: /^\/api\/users\/me$/,
    handle: async ({ headers }, call) => {
      const token = headers.authorization;
      if (typeof token !== 'string') return { body: { service: 'user', user: { id: 'anonymous' } } };
      const verified = await call('auth', '/api/auth/verify', { headers: { authorization: token } });
      if (verified.status !== 200) return { status: 401, body: { service: 'user', error: 'not signed in' } };
      return { body: { service: 'user', user: { id: verified.body.subject, name: verified.body.name } } };
    },
  },
  {
    method: 'GET',
    pattern: /^\/api\/users\/([^/]+)$/,
    handle: ({ params }) => Promise.resolve({ body: { service: 'user', user: { id: params[0] } } }),
  },
]);
