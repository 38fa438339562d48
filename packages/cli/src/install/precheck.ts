// `heddle x precheck`: whether Heddle can be installed or upgraded here — Node version, a writable data
// directory, the ports free (unless it is Heddle itself that holds them), and what is installed already.
import { access, constants, mkdir } from 'node:fs/promises';
import type { CliIo } from '../cli-io.ts';
import { ensureAddressFree } from '../control/ensure-address-free.ts';
import { EXIT_CODES, type ExitCode } from '../exit-codes.ts';
import { UP_HOST } from '../up/up-request.ts';
import { describeRevision, readInstalledProfiles, readRunningInstall } from './install-state.ts';
import { findRunningMesh } from './running-mesh.ts';

export interface PrecheckRequest {
  readonly dataDir: string;
  readonly ports: readonly { readonly role: string; readonly port: number }[];
  /** The Node version to judge; this process's by default. */
  readonly nodeVersion?: string;
}

/** Type stripping without flags, which Heddle's TypeScript entry points need. */
const MINIMUM_NODE_MAJOR = 23;

interface Finding {
  readonly ok: boolean;
  readonly line: string;
}

export async function runPrecheck(request: PrecheckRequest, io: CliIo): Promise<ExitCode> {
  const findings: Finding[] = [];
  const version = request.nodeVersion ?? process.versions.node;
  const major = Number(version.split('.')[0]);
  findings.push(
    major >= MINIMUM_NODE_MAJOR
      ? { ok: true, line: `Node.js ${version} (at least ${MINIMUM_NODE_MAJOR} needed)` }
      : { ok: false, line: `Node.js ${version} is too old: Heddle needs ${MINIMUM_NODE_MAJOR} or later` },
  );
  findings.push(await checkDataDir(request.dataDir));
  const state = await findRunningMesh(request.dataDir);
  if (state) {
    findings.push({
      ok: true,
      line: `Heddle is running (pid ${state.pid}); its ports are in use by it, which an upgrade keeps`,
    });
  } else {
    for (const { role, port } of request.ports) {
      try {
        await ensureAddressFree({ host: UP_HOST, port }, role);
        findings.push({ ok: true, line: `port ${port} (${role}) is free` });
      } catch (error) {
        findings.push({ ok: false, line: (error as Error).message });
      }
    }
  }
  const profiles = await readInstalledProfiles(request.dataDir);
  const running = await readRunningInstall(request.dataDir);
  if (profiles.length === 0)
    findings.push({ ok: true, line: 'no existing installation in this data directory' });
  for (const { plan, installedAt } of profiles) {
    const up = state !== undefined && running?.revisions[plan.revision] !== undefined;
    findings.push({
      ok: true,
      line: `existing installation: ${describeRevision(plan.revision)} (profile ${plan.profile}, installed ${installedAt}${up ? ', running' : ''})`,
    });
  }
  for (const finding of findings) io.stdout.write(`${finding.ok ? '✔' : '✘'} ${finding.line}\n`);
  const problems = findings.filter((finding) => !finding.ok).length;
  if (problems === 0) {
    io.stdout.write('✔ No issues found when checking this machine. Heddle is safe to install or upgrade!\n');
    return EXIT_CODES.OK;
  }
  io.stdout.write(
    `✘ ${problems} issue${problems === 1 ? '' : 's'} found; fix ${problems === 1 ? 'it' : 'them'} before installing\n`,
  );
  return EXIT_CODES.UNAVAILABLE;
}

async function checkDataDir(dataDir: string): Promise<Finding> {
  try {
    await mkdir(dataDir, { recursive: true });
    await access(dataDir, constants.W_OK);
    return { ok: true, line: `data directory ${dataDir} is writable` };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    return { ok: false, line: `data directory ${dataDir} is not writable (${code})` };
  }
}
