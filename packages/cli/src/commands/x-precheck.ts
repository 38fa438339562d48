// `heddle x precheck`: whether Heddle can be installed or upgraded on this machine (istioctl x precheck).
import { Command } from 'commander';
import type { CommandContext } from '../program/command-context.ts';
import { dataDirOf } from '../install/data-dir-of.ts';
import { addDataDirOption, addUpOptions, type UpOptionValues } from '../install/install-options.ts';
import { runPrecheck } from '../install/precheck.ts';

const DETAILS = `
Checks the Node.js version, that the data directory can be written, that the ports heddle up would use are
free (unless Heddle already runs there: then it is an upgrade), and lists existing installations and
revisions.

Exit codes:
  0   no issues
  69  an issue was found

Examples:
  heddle x precheck
  heddle x precheck --data-dir ./.heddle --gateway-port 9080`;

export function buildXPrecheckCommand(context: CommandContext): Command {
  const command = new Command('precheck')
    .summary('check that Heddle can be installed or upgraded here')
    .description(
      'Checks Node.js, the data directory, ports and existing installations before an install or upgrade.',
    );
  addDataDirOption(command);
  addUpOptions(command);
  return command.addHelpText('after', DETAILS).action(async (options: UpOptionValues) => {
    const ports = [
      { role: 'HTTP API', port: options.httpPort },
      { role: 'xDS', port: options.xdsPort },
      { role: 'ingress gateway, Gateway port 80', port: options.gatewayPort },
      { role: 'gateway admin', port: options.gatewayAdminPort },
      { role: 'gateway health', port: options.gatewayHealthPort },
    ].filter((entry) => entry.port !== 0);
    context.setExitCode(await runPrecheck({ dataDir: dataDirOf(options, context.io), ports }, context.io));
  });
}
