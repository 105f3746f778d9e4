/** Discovery: the organization's accounts, their enabled regions, and credentials per account. */
export { listAccounts, DISCOVERY_SESSION } from './accounts';
export type { ListAccountsOptions } from './accounts';
export { AccountCredentials, roleArnFor, ROLE_SESSION_NAME } from './credentials';
export type { AccountCredentialsOptions } from './credentials';
export { enabledRegions } from './regions';
export { refuseUnknownRegions, regionsAwsHas, UnknownRegionError } from './region-names';
export type { EnabledRegionsOptions } from './regions';
export { AccountAccessError, DiscoveryError, EndpointUnreachableError, UnknownOrganizationalUnitError } from './errors';
export type { AccountDiscovery, DiscoveredAccount, DiscoveredOrganization, NotScannedAccount, RegionScope } from './types';
