// The CLI reference (docs/cli/reference.md): every command's own --help, as a user sees it at 80 columns,
// so the page cannot say anything the commands do not.
import type { Command } from 'commander';
import type { CliIo } from '../cli-io.ts';
import { main } from '../main.ts';
import { buildProgram } from './build-program.ts';

export const REFERENCE_PATH = 'docs/cli/reference.md';

export async function cliReference(): Promise<string> {
  const program = buildProgram({ io: silentIo().io, setExitCode: () => undefined });
  const commands = walk(program, []);
  const sections: string[] = [];
  for (const { path } of [{ path: [] as string[] }, ...commands]) {
    const help = await helpOf(path);
    const title = ['heddle', ...path].join(' ');
    sections.push(`## ${title}\n\n\`\`\`text\n${help.trimEnd()}\n\`\`\`\n`);
  }
  const index = commands
    .map(({ path, summary }) => {
      const title = ['heddle', ...path].join(' ');
      return `${'  '.repeat(path.length - 1)}- [\`${title}\`](#${title.replace(/ /g, '-')}) — ${summary}`;
    })
    .join('\n');
  return `# \`heddle\` command reference

<!-- Generated from the commands' help by \`node scripts/cli-reference.ts\`; do not edit by hand.
     packages/cli/test/cli-reference.test.ts fails when this page is stale. -->

Every command and subcommand with its \`--help\` text: arguments, options, exit codes and examples.
The pages next to this one explain the main commands at more length.

${index}

${sections.join('\n')}`;
}

interface Entry {
  readonly path: string[];
  readonly summary: string;
}

function walk(command: Command, parent: readonly string[]): Entry[] {
  return command.commands
    .filter((sub) => sub.name() !== 'help')
    .flatMap((sub) => {
      const path = [...parent, sub.name()];
      return [{ path, summary: sub.summary() || sub.description() }, ...walk(sub, path)];
    });
}

async function helpOf(path: readonly string[]): Promise<string> {
  const { io, out } = silentIo();
  await main([...path, '--help'], io);
  return out();
}

function silentIo(): { io: CliIo; out: () => string } {
  let text = '';
  return {
    io: {
      // No `columns`: help is wrapped at 80, whatever terminal the generator runs in.
      stdout: { write: (chunk: string) => (text += chunk) },
      stderr: { write: () => true },
      stdin: (async function* () {})(),
      env: {},
    },
    out: () => text,
  };
}
