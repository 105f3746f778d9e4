/** `trailwatch pattern`: the filter-pattern engine on the command line. */
import type { RegisterCommand } from '../types';
import { registerPatternCheck } from './pattern-check';
import { registerPatternMatch } from './pattern-match';

export const registerPattern: RegisterCommand = (program, cli) => {
  const pattern = program
    .command('pattern')
    .description('match events against a CloudWatch Logs filter pattern, or check that it covers a control');
  registerPatternMatch(pattern, cli);
  registerPatternCheck(pattern, cli);
};
