/** The `trailwatch` command line: a thin adapter over src/. */
import { Command } from 'commander';

export function buildProgram(): Command {
  const program = new Command('trailwatch')
    .description('Checks that the CIS AWS Foundations Benchmark monitoring controls really work across an AWS organization')
    .showHelpAfterError()
    .exitOverride();
  return program;
}

async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (error) {
    const code = (error as { exitCode?: number }).exitCode;
    if (typeof code === 'number') return code === 0 ? 0 : 2;
    console.error(`trailwatch: ${(error as Error).message}`);
    return 2;
  }
}

if (require.main === module) {
  void main(process.argv).then((code) => {
    process.exitCode = code;
  });
}
