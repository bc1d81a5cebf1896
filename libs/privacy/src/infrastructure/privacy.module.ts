import { Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { AppConfig, PROCESS_LOGGER } from '@passerelle/platform';
import { PersonalDataVault } from '../application/personal-data-vault';
import { vaultOptions } from '../application/vault-options';

/** Closes the vault (its pool and LISTEN connection) when the app shuts down. */
@Injectable()
class VaultLifecycle implements OnApplicationShutdown {
  constructor(private readonly vault: PersonalDataVault) {}

  async onApplicationShutdown(): Promise<void> {
    await this.vault.close();
  }
}

/**
 * The process's PersonalDataVault, opened from AppConfig (KEYS_DATABASE_URL, PRIVACY_MASTER_KEY, ...)
 * once the key database is prepared (scripts/start.js; createTestKeysDatabase in tests). Needs
 * PlatformModule. Not imported by any app yet: the contexts that encrypt personal fields will.
 */
@Module({
  providers: [
    {
      provide: PersonalDataVault,
      inject: [AppConfig, PROCESS_LOGGER],
      useFactory: (config: AppConfig, logger: Logger) => {
        const log = logger.child({ context: 'PersonalDataVault' });
        return PersonalDataVault.open(
          vaultOptions(config, { onProblem: (err) => log.warn({ err: err.message }, 'Key database connection lost: key cache closed until LISTEN is back') }),
        );
      },
    },
    VaultLifecycle,
  ],
  exports: [PersonalDataVault],
})
export class PrivacyModule {}
