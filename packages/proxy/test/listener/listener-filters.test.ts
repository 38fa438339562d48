// listener_filters compile into an inspection plan: known inspectors, their filter_disabled port predicates,
// and Envoy's timeout default.
import assert from 'node:assert/strict';
import { create } from '@bufbuild/protobuf';
import { ListenerFilterSchema } from '@heddle/xds/gen/envoy/config/listener/v3/listener_components_pb.ts';
import { describe, it } from 'node:test';
import { compileListenerFilters, type ListenerFilterPlan } from '../../src/listener/listener-filters.ts';
import { listener } from './helpers/config.ts';

const plan = (spec: Parameters<typeof listener>[0]): ListenerFilterPlan => {
  const result = compileListenerFilters(listener(spec));
  if ('error' in result) assert.fail(result.error);
  return result;
};

describe('listener filter plan', () => {
  it('runs the configured inspectors, with Envoy’s 15 s default timeout', () => {
    const result = plan({ name: 'l', inspectors: ['tls', 'http'] });
    assert.equal(result.tlsInspector?.(443), true);
    assert.equal(result.httpInspector?.(80), true);
    assert.equal(result.originalDst, false);
    assert.equal(result.timeoutMs, 15_000);
    assert.equal(plan({ name: 'l', inspectors: ['original_dst'] }).tlsInspector, undefined);
  });

  it('honours filter_disabled destination port ranges', () => {
    const disabled = create(ListenerFilterSchema, {
      name: 'envoy.filters.listener.tls_inspector',
      filterDisabled: {
        rule: {
          case: 'orMatch',
          value: {
            rules: [
              { rule: { case: 'destinationPortRange', value: { start: 3306, end: 3307 } } },
              { rule: { case: 'destinationPortRange', value: { start: 5432, end: 5433 } } },
            ],
          },
        },
      },
    });
    const result = plan({ name: 'l', extra: { listenerFilters: [disabled] } });
    assert.equal(result.tlsInspector?.(3306), false);
    assert.equal(result.tlsInspector?.(5432), false);
    assert.equal(result.tlsInspector?.(8443), true);
  });

  it('takes an explicit timeout and continue_on_listener_filters_timeout', () => {
    const result = plan({ name: 'l', inspectors: ['tls'], filtersTimeoutMs: 250, continueOnTimeout: true });
    assert.equal(result.timeoutMs, 250);
    assert.equal(result.continueOnTimeout, true);
  });
});
