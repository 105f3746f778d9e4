/** The demo: moto, and an organization seeded into it for the demo, the integration tests and the benchmark. */
export { startMoto, resetMoto, seedMotoIds, motoInstalled, freeLoopbackPort, MOTO_CREDENTIALS, MOTO_INSTALL_HINT, MotoUnavailableError } from './moto';
export type { MotoServer } from './moto';
export { seedChain, seedTrail, seedLogGroup, logGroupArnOf, DEFAULT_SUBSCRIPTIONS } from './seed';
export type { SeedAlarmOptions, SeedChainOptions, SeedSubscription, SeedTrailOptions, SeededChain, SeededCheck, SeededTrail } from './seed';
export { seedDemoOrganization, DELEGATED_CHECKS, DEMO_BENCHMARK, DEMO_REGIONS, DEMO_ROLE_NAME, GLOBAL_SERVICE_CHECKS } from './organization';
export type { DemoAccount, DemoOrganization, DemoOrganizationOptions, DemoScenario, ExpectedVerdict } from './organization';
export { DEMO_METRIC_NAMES, EVENT_NAMES, REFERENCE_PATTERNS_V4, REFORMATTED_PATTERNS_V4, patternMissing } from './patterns';
