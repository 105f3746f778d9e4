/** trailwatch doctor: a deployment's facts read (read.ts), judged (diagnose.ts, pure) and rendered. */
export { diagnose, schedulePeriodMs } from './diagnose';
export { deploymentFromSettings } from './deployment';
export { deploymentFromStack, DeploymentNotFoundError, FUNCTION_NAME_OUTPUT } from './stack';
export type { StackDeployment } from './stack';
export { readDeploymentFacts } from './read';
export type { ReadFactsOptions } from './read';
export { renderDoctorJson, renderDoctorText } from './render';
export { DoctorArea } from './types';
export type { Deployment, DoctorCheck, DoctorFacts, DoctorProblem, DoctorReport, MemberRoleFact, OptionalPart, Read, RunRecord } from './types';
