// An option whose value is one of a few words: listed as choices in help, matched case-insensitively.
import { Option } from 'commander';
import { UsageError } from '../usage-error.ts';

export interface ChoiceSettings<T extends string> {
  readonly default: T;
  /** Other spellings accepted for a choice, e.g. istioctl's `log` for `text`; lower case. */
  readonly aliases?: Readonly<Record<string, T>>;
}

export function choiceOption<T extends string>(
  flags: string,
  description: string,
  choices: readonly T[],
  settings: ChoiceSettings<T>,
): Option {
  const option = new Option(flags, description).choices(choices).default(settings.default);
  // commander's own choices check is exact; this parser, set after it, also takes other cases and aliases.
  return option.argParser(parseChoice(option.long ?? option.name(), choices, settings.aliases ?? {}));
}

function parseChoice<T extends string>(
  flag: string,
  choices: readonly T[],
  aliases: Readonly<Record<string, T>>,
): (value: string) => T {
  return (value) => {
    const wanted = value.toLowerCase();
    const match = choices.find((choice) => choice.toLowerCase() === wanted) ?? aliases[wanted];
    if (match === undefined) {
      throw new UsageError(`invalid value '${value}' for ${flag}`, `Use one of: ${choices.join(', ')}.`);
    }
    return match;
  };
}
