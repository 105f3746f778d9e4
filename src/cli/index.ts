/** The `trailwatch` command line. */
export { buildProgram, main, run } from './main';
export { ExitCode } from './types';
export type { CliContext, CliIo, ExitCodeValue, RegisterCommand, TextSink } from './types';
