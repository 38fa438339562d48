import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { groupByKind, namespacesOf, resourceId } from '../../../src/app/lib/config-groups.ts';
import { inNamespace, sortFindings } from '../../../src/app/lib/findings-filter.ts';
import { FINDINGS, REGISTRY, RESOURCES } from '../../support/fixtures.ts';

describe('config grouping and finding filters', () => {
  it('groups stored resources by kind, alphabetically', () => {
    const groups = groupByKind(RESOURCES.items);
    assert.deepEqual(
      groups.map((group) => [group.kind, group.resources.map(resourceId)]),
      [
        ['DestinationRule', ['DestinationRule/shop/product']],
        ['PeerAuthentication', ['PeerAuthentication/shop/default']],
        ['VirtualService', ['VirtualService/shop/product']],
      ],
    );
    assert.deepEqual(groupByKind(RESOURCES.items, 'other'), []);
  });

  it('lists the namespaces that occur, once each', () => {
    assert.deepEqual(namespacesOf([...REGISTRY, { namespace: 'default' }, { namespace: '' }]), [
      'default',
      'shop',
    ]);
  });

  it('keeps findings of a namespace and mesh-wide ones', () => {
    const [error] = FINDINGS.findings;
    assert.ok(error);
    assert.equal(inNamespace(error, 'shop'), true);
    assert.equal(inNamespace(error, 'prod'), false);
    assert.equal(inNamespace({ ...error, resource: 'product.shop' }, 'shop'), true);
    assert.equal(inNamespace({ ...error, resource: undefined }, 'prod'), true);
    assert.equal(inNamespace(error, ''), true);
  });

  it('sorts findings by level, then code', () => {
    const info = { code: 'IST0001', level: 'Info' as const, message: 'm' };
    assert.deepEqual(
      sortFindings([info, ...FINDINGS.findings].reverse()).map((finding) => finding.code),
      ['IST0101', 'IST0128', 'IST0001'],
    );
  });
});
