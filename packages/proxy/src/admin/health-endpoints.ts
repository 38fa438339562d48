// The health port's `/healthz/ready` (Istio's readiness probe): 200 only once the first config is applied,
// while not draining and not failed by `/healthcheck/fail`.
import { textReply, type AdminEndpoint } from './admin-endpoint.ts';

export function healthEndpoints(ready: () => boolean, reason: () => string): AdminEndpoint[] {
  return [
    {
      path: '/healthz/ready',
      help: 'readiness: 200 when ready to take traffic',
      methods: ['GET'],
      handle: () => (ready() ? textReply('') : textReply(reason(), 503)),
    },
  ];
}
