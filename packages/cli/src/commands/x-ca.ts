// `heddle x ca`: the mesh CA's trust bundle (`roots`) and root rotation (`root-rotate`).
import { Command } from 'commander';
import { fetchCaRoots, rotateRoot, ROTATION_PHASES, type CaRoots, type RotationPhase } from '../ca/ca-api.ts';
import { resolveControlPlaneUrl } from '../client/control-plane-url.ts';
import { formatTable } from '../output/format-table.ts';
import type { CommandContext } from '../program/command-context.ts';
import { choiceOption } from '../program/choice-option.ts';
import { controlPlaneOption } from '../program/control-plane-option.ts';

const EXIT_CODES_HELP = `
Exit codes:
  0   done
  1   refused (a rotation phase out of order, a plugged-in CA, or no CA)
  64  usage error
  69  the control plane cannot be reached
  76  the control plane gave an unexpected answer`;

const ROTATE_DETAILS = `
A root is replaced in three phases, so that no proxy ever meets a certificate it cannot verify:
  prepare   a new root joins the trust bundle (sent to every proxy as ROOTCA); the old root still signs
  activate  the new root signs; certificates of the old root stay trusted until they expire
  finish    the old root leaves the bundle (wait until certificates it signed have been renewed: 24 h)
Without --phase, the next phase runs.
${EXIT_CODES_HELP}

Examples:
  heddle x ca root-rotate --phase prepare
  heddle x ca root-rotate`;

interface RootsOptions {
  readonly output: 'table' | 'json' | 'pem';
  readonly controlPlane?: string;
}

interface RotateOptions {
  readonly phase?: RotationPhase;
  readonly controlPlane?: string;
}

/** `heddle x ca`: the trust bundle (`roots`) and root rotation (`root-rotate`). */
export function buildXCaCommand(context: CommandContext): Command {
  const { io } = context;
  const ca = new Command('ca')
    .summary('inspect the mesh CA and rotate its root')
    .description(
      "The mesh certificate authority: its trust bundle and root rotation (Istio's plug-in CA layout works too).",
    );
  ca.addCommand(
    new Command('roots')
      .summary('show the roots of the trust bundle')
      .description('Shows every root of the trust bundle, which one signs, and the rotation phase.')
      .addOption(
        choiceOption('-o, --output <format>', 'output format', ['table', 'json', 'pem'] as const, {
          default: 'table',
        }),
      )
      .addOption(controlPlaneOption())
      .addHelpText(
        'after',
        `${EXIT_CODES_HELP}\n\nExamples:\n  heddle x ca roots\n  heddle x ca roots -o pem > root-cert.pem`,
      )
      .action(async (options: RootsOptions) => {
        const roots = await fetchCaRoots(resolveControlPlaneUrl(options.controlPlane, io.env));
        if (options.output === 'json') io.stdout.write(`${JSON.stringify(roots, null, 2)}\n`);
        else if (options.output === 'pem') io.stdout.write(roots.bundle);
        else io.stdout.write(rootsTable(roots));
      }),
  );
  ca.addCommand(
    new Command('root-rotate')
      .summary('run the next (or the given) phase of a root rotation')
      .description(
        'Rotates the self-signed root of the mesh CA through a trust bundle that holds both roots.',
      )
      .addOption(
        choiceOption('--phase <phase>', 'the phase to run (default: the next one)', ROTATION_PHASES, {
          default: undefined as unknown as RotationPhase,
        }),
      )
      .addOption(controlPlaneOption())
      .addHelpText('after', ROTATE_DETAILS)
      .action(async (options: RotateOptions) => {
        const result = await rotateRoot(resolveControlPlaneUrl(options.controlPlane, io.env), options.phase);
        io.stdout.write(`${rotationSummary(result.phase, result)}\n`);
        io.stdout.write(rootsTable(result));
      }),
  );
  return ca;
}

function rootsTable(roots: CaRoots): string {
  const rows = roots.roots.map((root) => [
    root.id ?? '-',
    root.subject,
    root.notAfter.slice(0, 10),
    root.signing ? 'yes' : 'no',
    root.sha256.slice(0, 23),
  ]);
  const table = formatTable(['ID', 'SUBJECT', 'NOT AFTER', 'SIGNING', 'SHA256'], rows);
  const rotation = roots.rotation
    ? `rotation: ${roots.rotation.state} (next phase: ${roots.rotation.next})`
    : 'rotation: managed outside Heddle (plugged-in CA)';
  return `${table}${rotation}\n`;
}

function rotationSummary(phase: RotationPhase, roots: CaRoots): string {
  const signing = roots.roots.find((root) => root.signing)?.id ?? '?';
  switch (phase) {
    case 'prepare':
      return `prepared: a new root is in the trust bundle; root ${signing} still signs. Activate once every proxy has the new bundle.`;
    case 'activate':
      return `activated: root ${signing} signs from now on; the old root stays trusted. Finish once old certificates have been renewed.`;
    case 'finish':
      return `finished: the trust bundle holds root ${signing} only.`;
  }
}
