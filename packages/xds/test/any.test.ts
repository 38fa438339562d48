// Any and TypedStruct helpers: a Listener with an HttpConnectionManager inside an Any survives binary and JSON.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { create, equals, fromBinary, toBinary } from '@bufbuild/protobuf';
import { anyPack } from '@bufbuild/protobuf/wkt';
import { TypedStructSchema as UdpaTypedStructSchema } from '../src/gen/udpa/type/v1/typed_struct_pb.ts';
import {
  HEDDLE_TYPE_URL_PREFIX,
  HTTP_CONNECTION_MANAGER_TYPE_URL,
  HttpConnectionManagerSchema,
  ListenerSchema,
  ROUTER_TYPE_URL,
  RouterSchema,
  TYPED_STRUCT_TYPE_URL,
  packAny,
  typedStruct,
  unpackAny,
  unpackAnyAs,
  unpackTypedStruct,
  xdsFromJson,
  xdsToJson,
} from '../src/index.ts';
import type { HttpConnectionManager, Listener } from '../src/index.ts';

function listenerWithHcm(): Listener {
  const hcm = create(HttpConnectionManagerSchema, {
    statPrefix: 'outbound_0.0.0.0_8080',
    routeSpecifier: {
      case: 'rds',
      value: { routeConfigName: '8080', configSource: { configSourceSpecifier: { case: 'ads', value: {} } } },
    },
    httpFilters: [
      {
        name: 'envoy.filters.http.router',
        configType: { case: 'typedConfig', value: packAny(RouterSchema, {}) },
      },
    ],
  });
  return create(ListenerSchema, {
    name: '0.0.0.0_8080',
    address: {
      address: {
        case: 'socketAddress',
        value: { address: '0.0.0.0', portSpecifier: { case: 'portValue', value: 8080 } },
      },
    },
    filterChains: [
      {
        filters: [
          {
            name: 'envoy.filters.network.http_connection_manager',
            configType: { case: 'typedConfig', value: packAny(HttpConnectionManagerSchema, hcm) },
          },
        ],
      },
    ],
  });
}

function hcmOf(listener: Listener): HttpConnectionManager | undefined {
  const config = listener.filterChains[0]?.filters[0]?.configType;
  assert.equal(config?.case, 'typedConfig');
  return unpackAnyAs(config.value, HttpConnectionManagerSchema);
}

describe('Any inside a Listener', () => {
  it('round-trips through binary', () => {
    const listener = listenerWithHcm();
    const decoded = fromBinary(ListenerSchema, toBinary(ListenerSchema, listener));
    assert.ok(equals(ListenerSchema, decoded, listener));
    const hcm = hcmOf(decoded);
    assert.equal(hcm?.routeSpecifier.case, 'rds');
    assert.equal(hcm.routeSpecifier.value.routeConfigName, '8080');
    assert.equal(hcm.httpFilters[0]?.name, 'envoy.filters.http.router');
  });

  it('round-trips through JSON with @type expanded from the registry', () => {
    const listener = listenerWithHcm();
    const json = xdsToJson(ListenerSchema, listener);
    assert.deepEqual(json, {
      name: '0.0.0.0_8080',
      address: { socketAddress: { address: '0.0.0.0', portValue: 8080 } },
      filterChains: [
        {
          filters: [
            {
              name: 'envoy.filters.network.http_connection_manager',
              typedConfig: {
                '@type': HTTP_CONNECTION_MANAGER_TYPE_URL,
                statPrefix: 'outbound_0.0.0.0_8080',
                rds: { routeConfigName: '8080', configSource: { ads: {} } },
                httpFilters: [
                  { name: 'envoy.filters.http.router', typedConfig: { '@type': ROUTER_TYPE_URL } },
                ],
              },
            },
          ],
        },
      ],
    });
    const parsed = xdsFromJson(ListenerSchema, JSON.parse(JSON.stringify(json)) as typeof json);
    assert.ok(equals(ListenerSchema, parsed, listener));
  });

  it('rejects JSON naming a type the registry does not know', () => {
    const json = {
      filterChains: [{ filters: [{ name: 'x', typedConfig: { '@type': 'type.googleapis.com/no.Such' } }] }],
    };
    assert.throws(() => xdsFromJson(ListenerSchema, json), /no\.Such/);
  });
});

describe('unpackAny', () => {
  it('unpacks any registered type by its type URL', () => {
    const message = unpackAny(packAny(RouterSchema, { suppressEnvoyHeaders: true }));
    assert.equal(message?.$typeName, 'envoy.extensions.filters.http.router.v3.Router');
  });

  it('returns undefined for an unknown type URL', () => {
    assert.equal(
      unpackAny({
        $typeName: 'google.protobuf.Any',
        typeUrl: 'type.googleapis.com/no.Such',
        value: new Uint8Array(),
      }),
      undefined,
    );
  });

  it('unpackAnyAs returns undefined when the Any holds another type', () => {
    assert.equal(unpackAnyAs(packAny(RouterSchema, {}), ListenerSchema), undefined);
  });
});

describe('typedStruct', () => {
  const typeUrl = `${HEDDLE_TYPE_URL_PREFIX}heddle.filters.http.stats.v1.Config`;
  const value = { prefix: 'istio', labels: ['a', 'b'], nested: { on: true, ratio: 0.5 } };

  it('wraps a JSON object in an xds.type.v3.TypedStruct', () => {
    const any = typedStruct(typeUrl, value);
    assert.equal(any.typeUrl, TYPED_STRUCT_TYPE_URL);
    assert.deepEqual(unpackTypedStruct(any), { typeUrl, value });
  });

  it('serializes to the JSON Envoy expects', () => {
    const hcm = create(HttpConnectionManagerSchema, {
      httpFilters: [
        { name: 'heddle.stats', configType: { case: 'typedConfig', value: typedStruct(typeUrl, value) } },
      ],
    });
    assert.deepEqual(xdsToJson(HttpConnectionManagerSchema, hcm), {
      httpFilters: [
        { name: 'heddle.stats', typedConfig: { '@type': TYPED_STRUCT_TYPE_URL, typeUrl, value } },
      ],
    });
  });

  it('also reads the older udpa.type.v1.TypedStruct', () => {
    const any = anyPack(UdpaTypedStructSchema, create(UdpaTypedStructSchema, { typeUrl, value }));
    assert.deepEqual(unpackTypedStruct(any), { typeUrl, value });
  });

  it('returns undefined for an Any that is not a TypedStruct', () => {
    assert.equal(unpackTypedStruct(packAny(RouterSchema, {})), undefined);
  });
});
