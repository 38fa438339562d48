// Minimal local view of Istio's WorkloadGroup spec: the metadata and template auto-registered workloads get.
import { readRecord, readStringMap } from '../read-fields.ts';
import { readWorkloadEntrySpec, type WorkloadEntrySpec } from './workload-entry-spec.ts';

export interface WorkloadGroupSpec {
  readonly metadata: {
    readonly labels: Readonly<Record<string, string>>;
    readonly annotations: Readonly<Record<string, string>>;
  };
  /** A WorkloadEntry without address; the address comes from the registering workload. */
  readonly template: WorkloadEntrySpec;
}

export function readWorkloadGroupSpec(value: unknown): WorkloadGroupSpec {
  const spec = readRecord(value);
  const metadata = readRecord(spec.metadata);
  return {
    metadata: { labels: readStringMap(metadata.labels), annotations: readStringMap(metadata.annotations) },
    template: readWorkloadEntrySpec(spec.template),
  };
}
