import type { AppConfig } from '@passerelle/platform';
import type { VaultOptions } from './personal-data-vault';

/** The vault's options as the process's configuration sets them. */
export function vaultOptions(
  config: Pick<AppConfig, 'keysDatabaseUrl' | 'privacyMasterKey' | 'privacyPreviousMasterKeys' | 'PRIVACY_KEY_CACHE_SECONDS' | 'PRIVACY_KEY_CACHE_SIZE'>,
  extra: Partial<VaultOptions> = {},
): VaultOptions {
  return {
    keysDatabaseUrl: config.keysDatabaseUrl,
    masterKey: config.privacyMasterKey,
    previousMasterKeys: config.privacyPreviousMasterKeys,
    cacheSeconds: config.PRIVACY_KEY_CACHE_SECONDS,
    cacheSize: config.PRIVACY_KEY_CACHE_SIZE,
    ...extra,
  };
}
