// A gRPC external authorization service for the CUSTOM e2e tests (Istio's envoyExtAuthzGrpc contract, the
// `envoy.service.auth.v3.Authorization/Check` call that OPA's Envoy plugin serves): it allows a request whose
// `x-ext-authz` header is `allow`, telling the upstream who the caller is; it denies anything else with 403.
// Every CheckRequest is recorded so the tests can see what it was asked.
import { create } from '@bufbuild/protobuf';
import * as grpc from '@grpc/grpc-js';
import { grpcServiceDefinition } from '@heddle/xds';
import {
  Authorization,
  CheckResponseSchema,
  type CheckRequest,
  type CheckResponse,
} from '@heddle/xds/gen/envoy/service/auth/v3/external_auth_pb.ts';
import { loopbackServiceEntry } from './security-ext-authz.ts';

export interface GrpcExtAuthzServer {
  readonly port: number;
  readonly checks: CheckRequest[];
  close(): Promise<void>;
}

const OK = 0;
const PERMISSION_DENIED = 7;

function answer(request: CheckRequest): CheckResponse {
  const http = request.attributes?.request?.http;
  if (http?.headers['x-ext-authz'] === 'allow') {
    return create(CheckResponseSchema, {
      status: { code: OK },
      httpResponse: {
        case: 'okResponse',
        value: {
          headers: [
            { header: { key: 'x-authz-caller', value: request.attributes?.source?.principal ?? '' } },
          ],
          headersToRemove: ['x-ext-authz'],
        },
      },
    });
  }
  return create(CheckResponseSchema, {
    status: { code: PERMISSION_DENIED },
    httpResponse: {
      case: 'deniedResponse',
      value: { status: { code: 403 }, body: 'denied by the gRPC authorizer' },
    },
  });
}

export async function startGrpcExtAuthz(): Promise<GrpcExtAuthzServer> {
  const checks: CheckRequest[] = [];
  const server = new grpc.Server();
  server.addService(grpcServiceDefinition(Authorization), {
    check: (
      call: grpc.ServerUnaryCall<CheckRequest, CheckResponse>,
      callback: grpc.sendUnaryData<CheckResponse>,
    ) => {
      checks.push(call.request);
      callback(null, answer(call.request));
    },
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  return {
    port,
    checks,
    close: async () => {
      server.forceShutdown();
      await Promise.resolve();
    },
  };
}

/** The meshConfig provider `name` (envoyExtAuthzGrpc) and the ServiceEntry of its GRPC port on loopback. */
export function grpcExtAuthzProvider(name: string, port: number): string {
  return `apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata: { name: mesh, namespace: istio-system }
spec:
  meshConfig:
    extensionProviders:
      - name: ${name}
        envoyExtAuthzGrpc:
          service: grpc-authz.local
          port: ${port}
          timeout: 2s
---
${loopbackServiceEntry('grpc-authz', port, 'GRPC')}`;
}
