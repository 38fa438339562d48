// CDS/EDS golden cases: every testdata/cluster-* directory with a proxy.yaml-described (or default) proxy,
// translated and compared with its cds/eds golden files (REFRESH_GOLDEN=1 rewrites them).
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { expectTranslationGolden } from '@heddle/testkit';

export const TESTDATA = join(import.meta.dirname, '..', 'testdata');

/** Cases run through testkit's translateCase; cluster-inbound-explicit needs a node it cannot describe. */
export const CLUSTER_CASES = readdirSync(TESTDATA)
  .filter((name) => name.startsWith('cluster-') && name !== 'cluster-inbound-explicit')
  .filter((name) => existsSync(join(TESTDATA, name, 'input.yaml')))
  .sort();

describe('cluster and endpoint golden cases', () => {
  for (const name of CLUSTER_CASES) {
    it(name, () => {
      expectTranslationGolden(join(TESTDATA, name), ['cds', 'eds']);
    });
  }
});
