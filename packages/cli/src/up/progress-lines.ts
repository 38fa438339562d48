// Start-up progress of `heddle up`: one line per step on stderr, with a coloured mark on a terminal and
// plain `<step>: <status>` lines otherwise (logs, CI), so both read well.
import type { OutputStream } from '../cli-io.ts';
import { wantsColor } from '../output/render-report.ts';

const GREEN = '\u001b[32m';
const RED = '\u001b[31m';
const DIM = '\u001b[2m';
const RESET = '\u001b[0m';

export interface ProgressStep {
  done(detail?: string): void;
  failed(detail: string): void;
}

export class ProgressLines {
  readonly #out: OutputStream;
  readonly #tty: boolean;
  readonly #color: boolean;

  constructor(out: OutputStream, env: Readonly<Record<string, string | undefined>>) {
    this.#out = out;
    this.#tty = out.isTTY === true;
    this.#color = wantsColor(out.isTTY, env);
  }

  step(name: string): ProgressStep {
    const started = Date.now();
    this.#out.write(this.#tty ? `${this.#paint(DIM, '…')} starting ${name}\n` : `${name}: starting\n`);
    const took = (): string => `${((Date.now() - started) / 1000).toFixed(1)} s`;
    return {
      done: (detail) => {
        const suffix = detail ? ` ${detail}` : '';
        this.#out.write(
          this.#tty
            ? `${this.#paint(GREEN, '✔')} ${name} ready${suffix} (${took()})\n`
            : `${name}: ready${suffix} (${took()})\n`,
        );
      },
      failed: (detail) => {
        this.#out.write(
          this.#tty ? `${this.#paint(RED, '✘')} ${name}: ${detail}\n` : `${name}: failed: ${detail}\n`,
        );
      },
    };
  }

  #paint(color: string, text: string): string {
    return this.#color ? `${color}${text}${RESET}` : text;
  }
}
