// Compile-time drift check of the hand-written model against Istio's CRD types (@kubernetes-models/istio).
//
// For every Istio kind, tsc proves that:
//   1. every spec the CRD type allows is a value of our spec type (CRD → model);
//   2. every value of our spec type is allowed by the CRD type (model → CRD), and our envelope
//      (apiVersion, kind, metadata) fits the CRD object's;
//   3. both have exactly the same field paths, so a field added to the CRD, or a misspelt one of ours,
//      fails the build with the path in the error.
// Together these pin field names, nesting, optionality and enum values. Known, deliberate differences:
//   - the library spells each oneOf group as a union of variants (the plain shape, plus one variant per
//     field that makes that field required). On DestinationRule the nested load-balancer unions multiply
//     until tsc slows to a crawl and the path walk exceeds its limits, so the checks use the plain
//     variant (`Plain`): every other variant is a subtype of it, so CRD → model still covers them all,
//     and whatever is assignable to the plain variant is assignable to the union.
//     The "exactly one of" rules themselves are the validator's business, not the type's;
//   - our arrays are readonly; the model → CRD checks strip `readonly` first (Writable);
//   - EnvoyFilter `patch.value` is a protobuf Struct: `unknown` for us, `{}` for the library; the
//     model → CRD check reads our `unknown` as `object`;
//   - the library makes `metadata` optional while ours is always present, so envelopes are only checked
//     model → CRD;
//   - the Kubernetes kinds (kubernetes.ts) have no library types installed here and are not checked.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { IEnvoyFilter } from '@kubernetes-models/istio/networking.istio.io/v1alpha3/EnvoyFilter';
import type { IDestinationRule } from '@kubernetes-models/istio/networking.istio.io/v1/DestinationRule';
import type { IGateway } from '@kubernetes-models/istio/networking.istio.io/v1/Gateway';
import type { IServiceEntry } from '@kubernetes-models/istio/networking.istio.io/v1/ServiceEntry';
import type { ISidecar } from '@kubernetes-models/istio/networking.istio.io/v1/Sidecar';
import type { IVirtualService } from '@kubernetes-models/istio/networking.istio.io/v1/VirtualService';
import type { IWorkloadEntry } from '@kubernetes-models/istio/networking.istio.io/v1/WorkloadEntry';
import type { IWorkloadGroup } from '@kubernetes-models/istio/networking.istio.io/v1/WorkloadGroup';
import type { IProxyConfig } from '@kubernetes-models/istio/networking.istio.io/v1beta1/ProxyConfig';
import type { IAuthorizationPolicy } from '@kubernetes-models/istio/security.istio.io/v1/AuthorizationPolicy';
import type { IPeerAuthentication } from '@kubernetes-models/istio/security.istio.io/v1/PeerAuthentication';
import type { IRequestAuthentication } from '@kubernetes-models/istio/security.istio.io/v1/RequestAuthentication';
import type { ITelemetry } from '@kubernetes-models/istio/telemetry.istio.io/v1/Telemetry';
import type { IWasmPlugin } from '@kubernetes-models/istio/extensions.istio.io/v1alpha1/WasmPlugin';
import type {
  AuthorizationPolicy,
  AuthorizationPolicySpec,
  DestinationRule,
  DestinationRuleSpec,
  EnvoyFilter,
  EnvoyFilterSpec,
  Gateway,
  GatewaySpec,
  PeerAuthentication,
  PeerAuthenticationSpec,
  ProxyConfigResource,
  ProxyConfigSpec,
  RequestAuthentication,
  RequestAuthenticationSpec,
  ServiceEntry,
  ServiceEntrySpec,
  Sidecar,
  SidecarSpec,
  Telemetry,
  TelemetrySpec,
  VirtualService,
  VirtualServiceSpec,
  WasmPlugin,
  WasmPluginSpec,
  WorkloadEntry,
  WorkloadEntrySpec,
  WorkloadGroup,
  WorkloadGroupSpec,
} from '../../src/model/index.ts';

/** The spec of a CRD interface, oneOf unions reduced to their plain variant. */
type CrdSpec<T extends { spec?: unknown }> = Plain<NonNullable<T['spec']>>;

/**
 * A library type with every oneOf union replaced by its plain variant: the member that requires no field,
 * found without reading the variants' properties (which is what makes the full unions expensive).
 */
type Plain<T> = [T] extends [readonly (infer E)[]]
  ? Plain<E>[]
  : [T] extends [object]
    ? PlainObject<PlainVariant<T>>
    : T;
type PlainObject<T> = { [K in keyof T]: Plain<Exclude<T[K], undefined>> };
type PlainVariant<U> = [OptionalOnly<U>] extends [never] ? U : OptionalOnly<U>;
type OptionalOnly<U> = U extends unknown ? (object extends U ? U : never) : never;

/** Our type without `readonly` (arrays included), with opaque `unknown` Structs read as objects. */
type Writable<T> = unknown extends T
  ? object
  : T extends readonly (infer E)[]
    ? Writable<E>[]
    : T extends object
      ? { -readonly [K in keyof T]: Writable<T[K]> }
      : T;

/** Compiles only when `From` is assignable to `To`; on drift tsc names the first field that differs. */
type Assignable<To, From extends To> = [To, From];

/** Every dotted field path of a type (`http.match.uri.exact`); map values appear under `*`. */
type Paths<T, P extends string = ''> = [T] extends [readonly (infer E)[]]
  ? Paths<E, P>
  : [T] extends [object]
    ? string extends keyof T
      ? Paths<NonNullable<T[string & keyof T]>, `${P}*.`>
      : { [K in keyof T & string]-?: `${P}${K}` | Paths<NonNullable<T[K]>, `${P}${K}.`> }[keyof T & string]
    : never;

/** Paths of the CRD that our model lacks, and paths of ours that the CRD does not have. */
type FieldDiff<Ours, Crd> =
  `missing: ${Exclude<Paths<Crd>, Paths<Ours>>}` | `extra: ${Exclude<Paths<Ours>, Paths<Crd>>}`;
/** Compiles only when `T` is `never`; otherwise the error lists the offending paths. */
type Empty<T extends never> = T;

// Each line fails to compile if the model drifts from the CRD for that kind.
type _CrdToModel = [
  Assignable<VirtualServiceSpec, CrdSpec<IVirtualService>>,
  Assignable<DestinationRuleSpec, CrdSpec<IDestinationRule>>,
  Assignable<GatewaySpec, CrdSpec<IGateway>>,
  Assignable<ServiceEntrySpec, CrdSpec<IServiceEntry>>,
  Assignable<WorkloadEntrySpec, CrdSpec<IWorkloadEntry>>,
  Assignable<WorkloadGroupSpec, CrdSpec<IWorkloadGroup>>,
  Assignable<SidecarSpec, CrdSpec<ISidecar>>,
  Assignable<EnvoyFilterSpec, CrdSpec<IEnvoyFilter>>,
  Assignable<ProxyConfigSpec, CrdSpec<IProxyConfig>>,
  Assignable<PeerAuthenticationSpec, CrdSpec<IPeerAuthentication>>,
  Assignable<AuthorizationPolicySpec, CrdSpec<IAuthorizationPolicy>>,
  Assignable<RequestAuthenticationSpec, CrdSpec<IRequestAuthentication>>,
  Assignable<TelemetrySpec, CrdSpec<ITelemetry>>,
  Assignable<WasmPluginSpec, CrdSpec<IWasmPlugin>>,
];

type _ModelToCrd = [
  Assignable<CrdSpec<IVirtualService>, Writable<VirtualServiceSpec>>,
  Assignable<CrdSpec<IDestinationRule>, Writable<DestinationRuleSpec>>,
  Assignable<CrdSpec<IGateway>, Writable<GatewaySpec>>,
  Assignable<CrdSpec<IServiceEntry>, Writable<ServiceEntrySpec>>,
  Assignable<CrdSpec<IWorkloadEntry>, Writable<WorkloadEntrySpec>>,
  Assignable<CrdSpec<IWorkloadGroup>, Writable<WorkloadGroupSpec>>,
  Assignable<CrdSpec<ISidecar>, Writable<SidecarSpec>>,
  Assignable<CrdSpec<IEnvoyFilter>, Writable<EnvoyFilterSpec>>,
  Assignable<CrdSpec<IProxyConfig>, Writable<ProxyConfigSpec>>,
  Assignable<CrdSpec<IPeerAuthentication>, Writable<PeerAuthenticationSpec>>,
  Assignable<CrdSpec<IAuthorizationPolicy>, Writable<AuthorizationPolicySpec>>,
  Assignable<CrdSpec<IRequestAuthentication>, Writable<RequestAuthenticationSpec>>,
  Assignable<CrdSpec<ITelemetry>, Writable<TelemetrySpec>>,
  Assignable<CrdSpec<IWasmPlugin>, Writable<WasmPluginSpec>>,
];

/** Our envelope (apiVersion, kind, metadata), narrowed to the one apiVersion the library's interface carries. */
type Envelope<R, V extends string = string> = Omit<Writable<R>, 'spec'> & { apiVersion: V };
type CrdEnvelope<T> = Omit<T, 'spec' | 'status'>;

type _EnvelopeToCrd = [
  Assignable<CrdEnvelope<IVirtualService>, Envelope<VirtualService, 'networking.istio.io/v1'>>,
  Assignable<CrdEnvelope<IDestinationRule>, Envelope<DestinationRule, 'networking.istio.io/v1'>>,
  Assignable<CrdEnvelope<IGateway>, Envelope<Gateway, 'networking.istio.io/v1'>>,
  Assignable<CrdEnvelope<IServiceEntry>, Envelope<ServiceEntry, 'networking.istio.io/v1'>>,
  Assignable<CrdEnvelope<IWorkloadEntry>, Envelope<WorkloadEntry, 'networking.istio.io/v1'>>,
  Assignable<CrdEnvelope<IWorkloadGroup>, Envelope<WorkloadGroup, 'networking.istio.io/v1'>>,
  Assignable<CrdEnvelope<ISidecar>, Envelope<Sidecar, 'networking.istio.io/v1'>>,
  Assignable<CrdEnvelope<IEnvoyFilter>, Envelope<EnvoyFilter>>,
  Assignable<CrdEnvelope<IProxyConfig>, Envelope<ProxyConfigResource>>,
  Assignable<CrdEnvelope<IPeerAuthentication>, Envelope<PeerAuthentication, 'security.istio.io/v1'>>,
  Assignable<CrdEnvelope<IAuthorizationPolicy>, Envelope<AuthorizationPolicy, 'security.istio.io/v1'>>,
  Assignable<CrdEnvelope<IRequestAuthentication>, Envelope<RequestAuthentication, 'security.istio.io/v1'>>,
  Assignable<CrdEnvelope<ITelemetry>, Envelope<Telemetry, 'telemetry.istio.io/v1'>>,
  Assignable<CrdEnvelope<IWasmPlugin>, Envelope<WasmPlugin>>,
];

type _SameFields = [
  Empty<FieldDiff<VirtualServiceSpec, CrdSpec<IVirtualService>>>,
  Empty<FieldDiff<DestinationRuleSpec, CrdSpec<IDestinationRule>>>,
  Empty<FieldDiff<GatewaySpec, CrdSpec<IGateway>>>,
  Empty<FieldDiff<ServiceEntrySpec, CrdSpec<IServiceEntry>>>,
  Empty<FieldDiff<WorkloadEntrySpec, CrdSpec<IWorkloadEntry>>>,
  Empty<FieldDiff<WorkloadGroupSpec, CrdSpec<IWorkloadGroup>>>,
  Empty<FieldDiff<SidecarSpec, CrdSpec<ISidecar>>>,
  Empty<FieldDiff<EnvoyFilterSpec, CrdSpec<IEnvoyFilter>>>,
  Empty<FieldDiff<ProxyConfigSpec, CrdSpec<IProxyConfig>>>,
  Empty<FieldDiff<PeerAuthenticationSpec, CrdSpec<IPeerAuthentication>>>,
  Empty<FieldDiff<AuthorizationPolicySpec, CrdSpec<IAuthorizationPolicy>>>,
  Empty<FieldDiff<RequestAuthenticationSpec, CrdSpec<IRequestAuthentication>>>,
  Empty<FieldDiff<TelemetrySpec, CrdSpec<ITelemetry>>>,
  Empty<FieldDiff<WasmPluginSpec, CrdSpec<IWasmPlugin>>>,
];

describe('resource model', () => {
  it('types a typical VirtualService, which survives a JSON round trip unchanged', () => {
    const reviews: VirtualService = {
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: 'reviews', namespace: 'default' },
      spec: {
        hosts: ['reviews'],
        http: [
          {
            match: [{ headers: { 'end-user': { exact: 'jason' } }, uri: { prefix: '/api' } }],
            route: [{ destination: { host: 'reviews', subset: 'v2', port: { number: 9080 } } }],
            retries: { attempts: 3, perTryTimeout: '2s', retryOn: '5xx' },
            timeout: '10s',
          },
          {
            route: [
              { destination: { host: 'reviews', subset: 'v1' }, weight: 90 },
              { destination: { host: 'reviews', subset: 'v3' }, weight: 10 },
            ],
          },
        ],
      },
    };
    assert.deepEqual(JSON.parse(JSON.stringify(reviews)), reviews);
  });
});
