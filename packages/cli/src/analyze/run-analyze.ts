// One `heddle analyze` run: the validation rules of `heddle validate` and the cross-resource analyzers,
// over files, over the control plane's stored config and registry, or both.
import { atOrAbove, validateText, type Finding, type Level } from '@heddle/api';
import {
  crossReferenceFindings,
  fromStoredResource,
  fromValidatedResource,
  type AnalysisContext,
  type AnalysisResource,
} from '@heddle/translate';
import type { CliIo } from '../cli-io.ts';
import type { ControlPlaneClient } from '../client/control-plane-client.ts';
import { fetchServices, fetchWorkloads } from '../describe/mesh-reads.ts';
import type { ExitCode } from '../exit-codes.ts';
import { readSources } from '../input/read-sources.ts';
import { toYamlDocuments } from '../output/to-yaml-documents.ts';
import { wantsColor } from '../output/render-report.ts';
import { validationExitCode } from '../validation-exit-code.ts';
import { renderAnalysis, type AnalyzeOutput } from './render-analysis.ts';

export interface AnalyzeRequest {
  readonly paths: readonly string[];
  /** The control plane to read from; undefined: files only. */
  readonly live?: ControlPlaneClient;
  /** Only findings about this namespace are shown; undefined: all. */
  readonly namespace?: string;
  readonly output: AnalyzeOutput;
  readonly failureThreshold: Level;
  readonly outputThreshold: Level;
}

interface Collected {
  readonly findings: Finding[];
  readonly resources: AnalysisResource[];
  readonly inputFailed: boolean;
}

export async function runAnalyze(request: AnalyzeRequest, io: CliIo): Promise<ExitCode> {
  const files = await analyzeFiles(request.paths, io.stdin);
  const live = request.live ? await analyzeLive(request.live) : undefined;
  const context: AnalysisContext = {
    resources: [...files.resources, ...(live?.resources ?? [])],
    registryHosts: live?.registryHosts ?? [],
    ...(live ? { workloads: live.workloads } : {}),
  };
  const all = [...files.findings, ...(live?.findings ?? []), ...crossReferenceFindings(context)];
  const inScope = all.filter(
    (finding) =>
      request.namespace === undefined ||
      finding.resource?.namespace === undefined ||
      finding.resource.namespace === request.namespace,
  );
  const shown = inScope.filter((finding) => atOrAbove(finding.level, request.outputThreshold));
  const color = wantsColor(io.stdout.isTTY, io.env);
  io.stdout.write(renderAnalysis(shown, request.output, color));
  if (shown.length === 0 && request.output === 'text') {
    const where = request.namespace === undefined ? 'all namespaces' : `namespace: ${request.namespace}`;
    io.stderr.write(`✔ No validation issues found when analyzing ${where}.\n`);
  }
  return validationExitCode({
    findings: inScope,
    inputFailed: files.inputFailed,
    failureThreshold: request.failureThreshold,
  });
}

async function analyzeFiles(
  paths: readonly string[],
  stdin: AsyncIterable<Buffer | string>,
): Promise<Collected> {
  if (paths.length === 0) return { findings: [], resources: [], inputFailed: false };
  const input = await readSources(paths, stdin);
  const validation = validateText(input.sources);
  return {
    findings: [...input.findings, ...validation.findings],
    resources: validation.resources.filter((resource) => resource.valid).map(fromValidatedResource),
    inputFailed: input.failed || validation.unparseable.length > 0,
  };
}

async function analyzeLive(client: ControlPlaneClient) {
  const [listing, services, workloads] = await Promise.all([
    client.list({}),
    fetchServices(client.url),
    fetchWorkloads(client.url),
  ]);
  // The store holds what validation accepted; its warnings are found again by validating it once more.
  // Their lines would point into text nobody wrote, so only the resource is named.
  const text = toYamlDocuments(
    listing.items.map(({ apiVersion, kind, metadata, spec }) => ({ apiVersion, kind, metadata, spec })),
  );
  const validation = validateText([{ name: 'control plane', text }]);
  const findings = validation.findings.map(({ file: _file, line: _line, column: _column, ...rest }) => rest);
  return {
    findings,
    resources: listing.items.map(fromStoredResource),
    registryHosts: services.map((service) => service.hostname),
    workloads: workloads.map((w) => ({ namespace: w.namespace, labels: w.labels })),
  };
}
