/** `trailwatch controls`: the checks of a benchmark with their reference patterns. */
import type { BenchmarkId } from '../../controls/types';
import { benchmarkInWords } from '../../report';
import { type ControlListing, listControls } from '../catalogue';
import { benchmarkOption, formatOption } from '../options';
import { writeJson, writeLine } from '../output';
import { type CliIo, ExitCode, type ExitCodeValue, type RegisterCommand } from '../types';

interface ControlsOptions {
  readonly benchmark: BenchmarkId;
  readonly format: 'text' | 'json';
}

export const registerControls: RegisterCommand = (program, cli) => {
  program
    .command('controls')
    .description('list the checks of a CIS benchmark: control number, slug, title, level and reference pattern')
    .addOption(benchmarkOption())
    .addOption(formatOption(['text', 'json'], 'text'))
    .action((options: ControlsOptions) => cli.setExitCode(showControls(options, cli.io)));
};

export function showControls(options: ControlsOptions, io: CliIo): ExitCodeValue {
  const controls = listControls(options.benchmark);
  if (options.format === 'json') {
    writeJson(io.stdout, { benchmark: options.benchmark, controls });
    return ExitCode.OK;
  }
  writeLine(io.stdout, `${benchmarkInWords(options.benchmark)} (${options.benchmark}): ${controls.length} checks`);
  for (const control of controls) {
    writeLine(io.stdout);
    for (const line of describeControl(control)) writeLine(io.stdout, line);
  }
  return ExitCode.OK;
}

const INDENT = '      ';

function describeControl(control: ControlListing): string[] {
  const [reference, ...alternatives] = control.referencePatterns;
  return [
    `${control.control.padEnd(INDENT.length)}${control.check}  (level ${control.level})`,
    `${INDENT}${control.title}`,
    ...(reference ? [`${INDENT}pattern: ${reference}`] : []),
    ...alternatives.map((pattern) => `${INDENT}also accepted: ${pattern}`),
    ...(control.printedPattern !== undefined ? [`${INDENT}benchmark text (corrected above): ${control.printedPattern}`] : []),
    ...control.notes.map((note) => `${INDENT}note: ${note}`),
    ...control.crosswalk
      .filter((entry) => entry.requirements.length > 0)
      .map((entry) => `${INDENT}${entry.name}: ${entry.requirements.join(', ')}`),
    `${INDENT}not mapped: ${control.crosswalk.filter((entry) => entry.requirements.length === 0).map((entry) => entry.name).join(', ')} (sources and reasons: --format json)`,
  ];
}
