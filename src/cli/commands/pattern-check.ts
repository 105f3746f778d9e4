/**
 * `trailwatch pattern check`: does a pattern catch every event a control's reference pattern
 * catches? Exit 0 yes; 1 no, with counter-examples; 1 too when the engine cannot settle it
 * ("cannot verify", never a guessed yes); 2 for a usage error or a pattern that does not parse.
 */
import type { BenchmarkId, CheckSlug } from '../../controls/types';
import { coverageOfControl, describeNoise, type ControlCoverage } from '../../evaluate/control-coverage';
import { parsePattern, type Pattern, PatternSyntaxError } from '../../pattern';
import { benchmarkControlOf, type ControlListing, controlOf } from '../catalogue';
import { benchmarkOption, checkOption, formatOption, patternOption } from '../options';
import { describeParseError, writeJson, writeLine } from '../output';
import { type CliIo, ExitCode, type ExitCodeValue, type RegisterCommand } from '../types';

interface CheckOptions {
  readonly check: CheckSlug;
  readonly pattern: string;
  readonly benchmark: BenchmarkId;
  readonly format: 'text' | 'json';
  /** Take the reference's text at its word, without CloudTrail knowledge. */
  readonly strict?: boolean;
}

export const registerPatternCheck: RegisterCommand = (parent, cli) => {
  parent
    .command('check')
    .description("check that a pattern catches every event the control's reference pattern catches (exit 0 yes, 1 no, 2 usage error)")
    .addOption(checkOption())
    .addOption(patternOption())
    .addOption(benchmarkOption())
    .addOption(formatOption(['text', 'json'], 'text'))
    .option('--strict', "take the reference pattern's text at its word: events of other services, or of event types CloudTrail never writes for the check, count too")
    .action((options: CheckOptions) => cli.setExitCode(checkPattern(options, cli.io)));
};

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
  const benchmarkControl = benchmarkControlOf(options.check, options.benchmark);
  const result = coverageOfControl(candidate, benchmarkControl, { strict: options.strict === true });
  const subject = `${options.check} (CIS ${control.control}, ${options.benchmark})`;
  const warning = result.verdict === 'covered' && result.noise ? `the pattern ${describeNoise(benchmarkControl, result.noise)}` : undefined;
  if (options.format === 'json') {
    writeJson(io.stdout, { ...verdictJson(result, options, control), ...(warning !== undefined ? { warnings: [warning] } : {}) });
  } else if (result.verdict === 'covered' && result.cloudtrailAware) {
    writeLine(io.stdout, `covered: the pattern catches every event of ${subject} that CloudTrail can emit: ${result.scope ?? ''}`);
    writeLine(io.stdout, 'the reference pattern\'s text alone also matches events outside that scope, which this pattern misses (--strict decides on the text)');
  } else if (result.verdict === 'covered') {
    writeLine(io.stdout, `covered: the pattern catches every event the reference pattern of ${subject} catches`);
  } else if (result.verdict === 'not-covered') {
    writeLine(io.stdout, `not covered: ${result.explanation}`);
    writeLine(io.stdout, `the reference pattern of ${subject} catches events this pattern misses, for example:`);
    for (const event of result.counterexamples) writeLine(io.stdout, `  ${JSON.stringify(event)}`);
  } else {
    writeLine(io.stdout, `cannot verify that the pattern covers ${subject}: ${result.reason}`);
  }
  if (options.format === 'text' && warning !== undefined) writeLine(io.stdout, `warning: ${warning}`);
  if (options.format === 'text') for (const note of control.notes) writeLine(io.stdout, `note: ${note}`);
  return result.verdict === 'covered' ? ExitCode.OK : ExitCode.NOT_OK;
}

function verdictJson(result: ControlCoverage, options: CheckOptions, control: ControlListing): Record<string, unknown> {
  const head = { check: options.check, benchmark: options.benchmark };
  // Present only when CloudTrail knowledge decided the verdict (the reference's text alone gives another).
  const aware = result.cloudtrailAware ? { cloudtrailAware: true, scope: result.scope } : {};
  switch (result.verdict) {
    case 'covered':
      return { ...head, covered: true, control: control.control, ...aware };
    case 'not-covered':
      return { ...head, covered: false, counterexamples: result.counterexamples, explanation: result.explanation, control: control.control, ...aware };
    case 'undetermined':
      return {
        ...head,
        covered: false,
        counterexamples: [],
        explanation: `cannot verify: ${result.reason}`,
        control: control.control,
        undetermined: true,
        ...aware,
      };
  }
}
