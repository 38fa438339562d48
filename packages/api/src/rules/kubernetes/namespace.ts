// Checks for v1 Namespace as the mesh reads it: the sidecar injection labels.
import { INSTALL_CODES } from '../../findings/codes.ts';
import type { KindValidator } from '../../validate/rule-context.ts';
import { describeValue, isRecord } from '../../mesh/field-checks.ts';
import { labelValueProblem } from '../common/selector.ts';

const INJECTION = 'istio-injection';
const REVISION = 'istio.io/rev';

export const validateNamespace: KindValidator = (ctx) => {
  const metadata = isRecord(ctx.object.metadata) ? ctx.object.metadata : {};
  const labels = isRecord(metadata.labels) ? metadata.labels : {};
  const path = ['metadata', 'labels'];
  const injection = labels[INJECTION];
  const revision = labels[REVISION];
  if (injection !== undefined && injection !== 'enabled' && injection !== 'disabled') {
    ctx.warn(
      INSTALL_CODES.NAMESPACE_INJECTION_LABEL_INVALID,
      [...path, INJECTION],
      `${INJECTION} is either "enabled" or "disabled"; ${describeValue(injection)} leaves sidecar injection off`,
    );
  }
  if (revision !== undefined) {
    const problem =
      revision === '' ? 'an empty revision selects no control plane' : labelValueProblem(revision);
    if (problem) {
      ctx.warn(
        INSTALL_CODES.NAMESPACE_INJECTION_LABEL_INVALID,
        [...path, REVISION],
        `${REVISION} must name a control-plane revision such as "1-13": ${problem}`,
      );
    }
  }
  if (injection !== undefined && revision !== undefined) {
    ctx.warn(
      INSTALL_CODES.NAMESPACE_MULTIPLE_INJECTION_LABELS,
      [...path, REVISION],
      `both ${INJECTION} and ${REVISION} are set; ${INJECTION} wins and the revision label is ignored, so keep only one (${REVISION} when you upgrade by revision)`,
    );
  }
};
