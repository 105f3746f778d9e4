/** Options several commands share, parsed and checked where they are read. */
import { type Command, InvalidArgumentError, Option } from 'commander';
import { DEFAULT_BENCHMARK } from '../controls/types';
import { TrailwatchError } from '../errors';
import { benchmarkFrom, checkFrom } from './catalogue';

/** Turns a parser's TrailwatchError into commander's one-line "argument ... is invalid" error. */
export function parsedBy<T>(parse: (value: string) => T): (value: string) => T {
  return (value) => {
    try {
      return parse(value);
    } catch (error) {
      if (error instanceof TrailwatchError) throw new InvalidArgumentError(error.message);
      throw error;
    }
  };
}

const REQUIRED = new WeakSet<Option>();

/**
 * Marks an option that must be given. Unlike commander's makeOptionMandatory this is checked
 * after unknown options (by `checkRequiredOptions`), so a misspelt flag is named as the problem.
 */
export function required(option: Option): Option {
  REQUIRED.add(option);
  return option;
}

/** The preAction check of `required` options: a usage error naming the first one missing. */
export function checkRequiredOptions(command: Command): void {
  for (const option of command.options) {
    if (REQUIRED.has(option) && command.getOptionValue(option.attributeName()) === undefined) {
      command.error(`required option '${option.flags}' not specified`, { exitCode: 2, code: 'commander.missingMandatoryOptionValue' });
    }
  }
}

export function benchmarkOption(): Option {
  return new Option('-b, --benchmark <benchmark>', 'CIS benchmark: cis-aws-v4.0.0, v4.0.0 or 4.0')
    .default(DEFAULT_BENCHMARK)
    .argParser(parsedBy(benchmarkFrom));
}

export function checkOption(): Option {
  return required(new Option('-c, --check <slug>', 'required: the check slug, e.g. root_usage (see trailwatch controls)').argParser(parsedBy(checkFrom)));
}

export function patternOption(): Option {
  return required(new Option('-p, --pattern <pattern>', 'required: a CloudWatch Logs filter pattern (quote it for the shell)'));
}

/** The human-readable format is `table` in scan's family and `text` elsewhere: every command takes either name. */
const HUMAN_FORMATS = ['table', 'text'] as const;

export function formatOption<const F extends string>(formats: readonly F[], fallback: F): Option {
  const human = formats.find((format) => (HUMAN_FORMATS as readonly string[]).includes(format));
  const alias = human === undefined ? undefined : HUMAN_FORMATS.find((name) => name !== human);
  const option = new Option('-f, --format <format>', `output format${alias ? ` ('${alias}' is '${human}')` : ''}`).choices(formats).default(fallback);
  return option.argParser((value: string) => {
    if ((formats as readonly string[]).includes(value)) return value as F;
    if (alias !== undefined && value === alias) return human as F;
    throw new InvalidArgumentError(`Allowed choices are ${formats.join(', ')}${alias ? ` (or ${alias} for ${human})` : ''}.`);
  });
}
