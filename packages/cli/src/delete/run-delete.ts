// `heddle delete`: removes the resources some files define, or resources named on the command line.
import type { ResourceKey } from '@heddle/control-plane';
import type { CliIo } from '../cli-io.ts';
import { quotedResourceName } from '../apply/result-lines.ts';
import type { ControlPlaneClient } from '../client/control-plane-client.ts';
import { isRefusal } from '../client/control-plane-client.ts';
import { EXIT_CODES, type ExitCode } from '../exit-codes.ts';
import { readConfigInput } from '../input/read-config-input.ts';
import { renderText } from '../output/render-text.ts';
import { wantsColor } from '../output/render-report.ts';
import type { ResourceType } from '../resources/resource-types.ts';

export interface DeleteFilesRequest {
  readonly paths: readonly string[];
  readonly namespace?: string;
  readonly ignoreNotFound: boolean;
}

export interface DeleteNamesRequest {
  readonly type: ResourceType;
  readonly names: readonly string[];
  readonly namespace: string;
  readonly ignoreNotFound: boolean;
}

/** Only unreadable or unparseable input stops a delete: a resource that no longer validates must still go. */
export async function deleteFiles(
  request: DeleteFilesRequest,
  client: ControlPlaneClient,
  io: CliIo,
): Promise<ExitCode> {
  const input = await readConfigInput(request.paths, io.stdin);
  if (input.inputFailed) {
    const errors = input.findings.filter((finding) => finding.level === 'Error');
    io.stderr.write(
      renderText({ ...input, findings: errors }, { color: wantsColor(io.stderr.isTTY, io.env) }),
    );
    io.stderr.write('heddle: nothing was deleted\n');
    return EXIT_CODES.UNREADABLE_INPUT;
  }
  const notFound: ResourceKey[] = [];
  for (const source of input.sources) {
    const result = await client.deleteYaml(source, request.namespace);
    if (isRefusal(result)) {
      io.stderr.write(`heddle: the control plane refused ${source.name}: ${result.message}\n`);
      return EXIT_CODES.UNREADABLE_INPUT;
    }
    for (const key of result.deleted) io.stdout.write(`${quotedResourceName(key)} deleted\n`);
    notFound.push(...result.notFound);
  }
  return reportNotFound(notFound, request.ignoreNotFound, io);
}

export async function deleteNames(
  request: DeleteNamesRequest,
  client: ControlPlaneClient,
  io: CliIo,
): Promise<ExitCode> {
  const namespace = request.type.clusterScoped ? '' : request.namespace;
  const notFound: ResourceKey[] = [];
  for (const name of request.names) {
    const key = { kind: request.type.kind, namespace, name };
    if (await client.deleteResource(key)) io.stdout.write(`${quotedResourceName(key)} deleted\n`);
    else notFound.push(key);
  }
  return reportNotFound(notFound, request.ignoreNotFound, io);
}

function reportNotFound(keys: readonly ResourceKey[], ignore: boolean, io: CliIo): ExitCode {
  if (ignore || keys.length === 0) return EXIT_CODES.OK;
  for (const key of keys) {
    const where = key.namespace === '' ? '' : ` in namespace "${key.namespace}"`;
    io.stderr.write(`heddle: ${quotedResourceName(key)} not found${where}\n`);
  }
  return EXIT_CODES.NOT_FOUND;
}
