// EDS: every ClusterLoadAssignment compiled in prepare (addresses must be IPs or pipes), committed as a
// whole to the cluster manager, which updates the EDS clusters that use each one.
import { CLUSTER_LOAD_ASSIGNMENT_TYPE_URL } from '@heddle/xds';
import type { ClusterLoadAssignment } from '@heddle/xds/gen/envoy/config/endpoint/v3/endpoint_pb.ts';
import type { PrepareResult, ResourceHandler } from '../config/resource-handler.ts';
import { ClusterConfigError } from './config/config-error.ts';
import { type CompiledAssignment, compileLoadAssignment } from './config/load-assignment.ts';

export interface AssignmentEntry {
  readonly source: ClusterLoadAssignment;
  readonly compiled: CompiledAssignment;
}

export interface AssignmentSink {
  applyAssignments(assignments: ReadonlyMap<string, AssignmentEntry>): void;
}

export function createEndpointHandler(sink: AssignmentSink): ResourceHandler<ClusterLoadAssignment> {
  return {
    typeUrl: CLUSTER_LOAD_ASSIGNMENT_TYPE_URL,
    prepare(resources): PrepareResult {
      const entries = new Map<string, AssignmentEntry>();
      for (const [name, source] of resources) {
        try {
          entries.set(name, {
            source,
            compiled: compileLoadAssignment(source, `ClusterLoadAssignment '${name}'`, false),
          });
        } catch (err) {
          if (err instanceof ClusterConfigError) return { error: err.message };
          return { error: `ClusterLoadAssignment '${name}': ${(err as Error).message}` };
        }
      }
      return { commit: () => sink.applyAssignments(entries) };
    },
  };
}
