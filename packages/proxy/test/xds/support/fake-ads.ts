// The testkit's fake ADS server, imported by file: the testkit index also loads the control plane and the
// translator, which these tests do not need.
export { FakeAdsServer, type RecordedRequest } from '../../../../testkit/src/fake-ads-server.ts';
