/** trailwatch doctor: a deployment's facts read (read.ts), judged (diagnose.ts, pure) and rendered. */
export { diagnose, schedulePeriodMs } from './diagnose';
export { deploymentFromSettings, deploymentFromStack, DeploymentNotFoundError, FUNCTION_NAME_OUTPUT } from './deployment';
export type { StackDeployment } from './deployment';
export { readDeploymentFacts } from './read';
export type { ReadFactsOptions } from './read';
export { renderDoctorJson, renderDoctorText } from './render';
export { DoctorArea } from './types';
export type { Deployment, DoctorCheck, DoctorFacts, DoctorProblem, DoctorReport, MemberRoleFact, OptionalPart, Read, RunRecord } from './types';
