// Semantic rules for ProxyConfig: the workload selector and the proxy image type.
import { REGISTRY_CODES } from '../../findings/codes.ts';
import type { KindValidator } from '../../validate/rule-context.ts';
import { checkLabels } from '../common/selector.ts';
import { closestName } from '../common/values.ts';
import { stringAt, structAt } from './registry/read.ts';

const IMAGE_TYPES = ['default', 'debug', 'distroless'];

export const validateProxyConfig: KindValidator = (ctx, spec) => {
  // A negative concurrency is reported by the schema; 0 means one worker per CPU.
  const selector = structAt(spec.selector);
  if (selector) {
    checkLabels(ctx, selector.matchLabels ?? {}, ['spec', 'selector', 'matchLabels'], {
      emptyWarning:
        'selector has no matchLabels, so this ProxyConfig applies to every workload in the namespace',
    });
  }
  const imageType = stringAt(structAt(spec.image)?.imageType);
  if (imageType && !IMAGE_TYPES.includes(imageType)) {
    const suggestion = closestName(imageType, IMAGE_TYPES);
    ctx.warn(
      REGISTRY_CODES.PROXY_CONFIG_IMAGE_TYPE,
      ['spec', 'image', 'imageType'],
      `"${imageType}" is not one of the published proxy image types (default, debug, distroless)${suggestion ? `; did you mean "${suggestion}"?` : ''}; other values only work if such an image exists in your registry`,
    );
  }
};
