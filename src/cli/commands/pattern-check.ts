/**
 * `trailwatch pattern check`: does a pattern catch every event a control's reference pattern
 * catches? Exit 0 yes; 1 no, with counter-examples; 1 too when the engine cannot settle it
 * ("cannot verify", never a guessed yes); 2 for a usage error or a pattern that does not parse.
 */
import type { BenchmarkId, CheckSlug } from '../../controls/types';
import { type CoverageResult, covers, parsePattern, type Pattern, PatternSyntaxError } from '../../pattern';
import { type ControlListing, controlOf } from '../catalogue';
import { benchmarkOption, checkOption, formatOption, patternOption } from '../options';
import { describeParseError, writeJson, writeLine } from '../output';
import { type CliIo, ExitCode, type ExitCodeValue, type RegisterCommand } from '../types';

interface CheckOptions {
  readonly check: CheckSlug;
  readonly pattern: string;
  readonly benchmark: BenchmarkId;
  readonly format: 'text' | 'json';
}

export const registerPatternCheck: RegisterCommand = (parent, cli) => {
  parent
    .command('check')
    .description("check that a pattern catches every event the control's reference pattern catches (exit 0 yes, 1 no, 2 usage error)")
    .addOption(checkOption())
    .addOption(patternOption())
    .addOption(benchmarkOption())
    .addOption(formatOption(['text', 'json'], 'text'))
    .action((options: CheckOptions) => cli.setExitCode(checkPattern(options, cli.io)));
};

/** The verdict for a check with one or more accepted references: covering any one is enough. */
export function coverageOfControl(candidate: Pattern, control: ControlListing): CoverageResult {
  const results = control.referencePatterns.map((reference) => covers(candidate, reference));
  const covered = results.find((r) => r.verdict === 'covered');
  if (covered) return covered;
  const undetermined = results.filter((r) => r.verdict === 'undetermined');
  if (undetermined.length > 0) return { verdict: 'undetermined', reason: undetermined.map((r) => r.reason).join('; ') };
  const misses = results.filter((r) => r.verdict === 'not-covered');
  const [first] = misses;
  if (!first) throw new Error(`${control.check} has no reference pattern`);
  const unique = new Map(misses.flatMap((r) => r.counterexamples).map((event) => [JSON.stringify(event), event] as const));
  const counterexamples = [...unique.values()];
  return { verdict: 'not-covered', counterexamples, explanation: first.explanation };
}

export function checkPattern(options: CheckOptions, io: CliIo): ExitCodeValue {
  const control = controlOf(options.check, options.benchmark);
  let candidate: Pattern;
  try {
    candidate = parsePattern(options.pattern);
  } catch (error) {
    if (!(error instanceof PatternSyntaxError)) throw error;
    if (options.format === 'json') writeJson(io.stdout, { parseError: { message: error.message, offset: error.offset } });
    else io.stderr.write(`trailwatch pattern check: ${describeParseError(options.pattern, error)}\n`);
    return ExitCode.USAGE;
  }
  const result = coverageOfControl(candidate, control);
  const subject = `${options.check} (CIS ${control.control}, ${options.benchmark})`;
  if (options.format === 'json') {
    writeJson(io.stdout, verdictJson(result, options, control));
  } else if (result.verdict === 'covered') {
    writeLine(io.stdout, `covered: the pattern catches every event the reference pattern of ${subject} catches`);
  } else if (result.verdict === 'not-covered') {
    writeLine(io.stdout, `not covered: ${result.explanation}`);
    writeLine(io.stdout, `the reference pattern of ${subject} catches events this pattern misses, for example:`);
    for (const event of result.counterexamples) writeLine(io.stdout, `  ${JSON.stringify(event)}`);
  } else {
    writeLine(io.stdout, `cannot verify that the pattern covers ${subject}: ${result.reason}`);
  }
  if (options.format === 'text') for (const note of control.notes) writeLine(io.stdout, `note: ${note}`);
  return result.verdict === 'covered' ? ExitCode.OK : ExitCode.NOT_OK;
}

function verdictJson(result: CoverageResult, options: CheckOptions, control: ControlListing): Record<string, unknown> {
  const head = { check: options.check, benchmark: options.benchmark };
  switch (result.verdict) {
    case 'covered':
      return { ...head, covered: true, control: control.control };
    case 'not-covered':
      return { ...head, covered: false, counterexamples: result.counterexamples, explanation: result.explanation, control: control.control };
    case 'undetermined':
      return {
        ...head,
        covered: false,
        counterexamples: [],
        explanation: `cannot verify: ${result.reason}`,
        control: control.control,
        undetermined: true,
      };
  }
}
