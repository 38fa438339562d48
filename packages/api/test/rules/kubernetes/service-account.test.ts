import { describe, it } from 'node:test';
import { expectClean, expectFinding } from '../../helpers/findings.ts';

describe('ServiceAccount', () => {
  const account = 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: reviews\n  namespace: shop\n';

  it('accepts a service account', () => {
    expectClean(account);
  });

  it('shows the SPIFFE identity the account becomes', () => {
    expectFinding(account, {
      code: 'HEDDLE_SERVICEACCOUNT_IDENTITY',
      field: 'metadata.name',
      line: 4,
      level: 'Info',
      message: 'spiffe://cluster.local/ns/shop/sa/reviews',
    });
  });

  it('rejects a name that cannot be part of an identity', () => {
    expectFinding('apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: Reviews_SA\n', {
      code: 'HEDDLE_METADATA_NAME_INVALID',
      line: 4,
    });
  });
});
