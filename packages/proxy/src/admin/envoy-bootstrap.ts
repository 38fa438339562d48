// The proxy's bootstrap as Envoy would hold it (node, admin address, ADS over an `xds-grpc` cluster), for
// config_dump readers that expect Envoy's BootstrapConfigDump.
import { create } from '@bufbuild/protobuf';
import type { Node } from '@heddle/xds';
import {
  BootstrapSchema,
  type Bootstrap as EnvoyBootstrap,
} from '@heddle/xds/gen/envoy/config/bootstrap/v3/bootstrap_pb.ts';
import { Cluster_DiscoveryType } from '@heddle/xds/gen/envoy/config/cluster/v3/cluster_pb.ts';
import {
  ApiConfigSource_ApiType,
  ApiVersion,
} from '@heddle/xds/gen/envoy/config/core/v3/config_source_pb.ts';
import { isIP } from 'node:net';
import type { Bootstrap } from '../xds/bootstrap.ts';

export const XDS_CLUSTER_NAME = 'xds-grpc';

export function envoyBootstrap(bootstrap: Bootstrap, node: Node): EnvoyBootstrap {
  const hosts = bootstrap.controlPlane.addresses.map(splitHostPort);
  const ads = {
    configSourceSpecifier: { case: 'ads' as const, value: {} },
    resourceApiVersion: ApiVersion.V3,
  };
  return create(BootstrapSchema, {
    node,
    admin: { address: socketAddress(bootstrap.admin.address, bootstrap.admin.port) },
    staticResources: {
      clusters: [
        {
          name: XDS_CLUSTER_NAME,
          clusterDiscoveryType: {
            case: 'type',
            value: hosts.every((host) => isIP(host.host) !== 0)
              ? Cluster_DiscoveryType.STATIC
              : Cluster_DiscoveryType.STRICT_DNS,
          },
          loadAssignment: {
            clusterName: XDS_CLUSTER_NAME,
            endpoints: [
              {
                lbEndpoints: hosts.map((host) => ({
                  hostIdentifier: {
                    case: 'endpoint' as const,
                    value: { address: socketAddress(host.host, host.port) },
                  },
                })),
              },
            ],
          },
        },
      ],
    },
    dynamicResources: {
      adsConfig: {
        apiType: ApiConfigSource_ApiType.GRPC,
        transportApiVersion: ApiVersion.V3,
        grpcServices: [{ targetSpecifier: { case: 'envoyGrpc', value: { clusterName: XDS_CLUSTER_NAME } } }],
      },
      cdsConfig: ads,
      ldsConfig: ads,
    },
  });
}

function socketAddress(address: string, port: number) {
  return {
    address: {
      case: 'socketAddress' as const,
      value: { address, portSpecifier: { case: 'portValue' as const, value: port } },
    },
  };
}

/** `host:port` or `[v6]:port`, as validated by the bootstrap. */
export function splitHostPort(value: string): { readonly host: string; readonly port: number } {
  const colon = value.lastIndexOf(':');
  const host = value.slice(0, colon);
  return { host: host.startsWith('[') ? host.slice(1, -1) : host, port: Number(value.slice(colon + 1)) };
}
