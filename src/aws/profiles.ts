/**
 * A named profile (--profile) is looked up where the SDK looks for it, before any call: a typo
 * names the profile and the profiles there instead of the SDK's "could not load credentials".
 */
import { loadSharedConfigFiles } from '@smithy/core/config';
import { UsageError } from '../errors';

/** Sections of the config file that are not profiles ([sso-session x], [services x]). */
const NOT_PROFILES = /^(sso-session|services)\./;

/** Throws UsageError when the profile is in neither the shared config nor the credentials file. */
export async function assertProfileExists(profile: string): Promise<void> {
  const { configFile, credentialsFile } = await loadSharedConfigFiles({ ignoreCache: true });
  const known = [...new Set([...Object.keys(configFile), ...Object.keys(credentialsFile)])].filter((name) => !NOT_PROFILES.test(name)).sort();
  if (known.includes(profile)) return;
  const files = `${process.env.AWS_CONFIG_FILE ?? '~/.aws/config'} and ${process.env.AWS_SHARED_CREDENTIALS_FILE ?? '~/.aws/credentials'}`;
  throw new UsageError(
    `profile '${profile}' is not in ${files} (${known.length > 0 ? `profiles there: ${known.join(', ')}` : 'no profiles there'})`,
  );
}
