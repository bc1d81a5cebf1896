import { Global, Injectable, Module, type OnModuleInit } from '@nestjs/common';
import { PERSONAL_DATA_CODEC, type PersonalDataCodec } from '@passerelle/event-store-core';
import { forgetAddressOutsideEvents, PostgresEventStore } from '@passerelle/event-store-postgres';
import { sentMailCounter } from '@passerelle/mail';
import { Clock } from '@passerelle/platform';
import { EventFieldEncryption, type ErasedSubject, PersonalDataVault, PrivacyModule, SubjectErasure } from '@passerelle/privacy';
import { PersonalDataExporter } from './personal-data-export';
import { PERSONAL_DATA_REGISTRY } from './personal-data.registry';

/** Once a key is destroyed anywhere, this process's kept streams (which hold data in clear) are dropped. */
@Injectable()
class ForgetStreamsOnErasure implements OnModuleInit {
  constructor(
    private readonly vault: PersonalDataVault,
    private readonly store: PostgresEventStore,
  ) {}

  onModuleInit(): void {
    this.vault.onKeyDestroyed(() => this.store.forgetAllStreams());
  }
}

/**
 * Personal fields encrypted in the event store (issue 20): the process's vault and the codec the event
 * store seals and opens events with (PERSONAL_DATA_CODEC), from every context's declaration. Global, so
 * that the platform's event store finds the codec; an app imports it once. Also access requests' exports
 * (PersonalDataExporter).
 */
@Global()
@Module({
  imports: [PrivacyModule],
  providers: [
    {
      provide: PERSONAL_DATA_CODEC,
      inject: [PersonalDataVault],
      useFactory: (vault: PersonalDataVault) => new EventFieldEncryption(vault, PERSONAL_DATA_REGISTRY),
    },
    ForgetStreamsOnErasure,
    {
      provide: SubjectErasure,
      inject: [PersonalDataVault, PostgresEventStore],
      // The e-mails counted from the mail ledger; stored request answers that hold the address go. Other
      // steps (the person's account) are added by the contexts that keep them (SubjectErasure.addStep).
      useFactory: (vault: PersonalDataVault, store: PostgresEventStore) =>
        new SubjectErasure(vault, store, sentMailCounter(store.pool), [
          async ({ addresses }: ErasedSubject) => {
            for (const address of addresses) await forgetAddressOutsideEvents(store.pool, address);
          },
        ]),
    },
    {
      provide: PersonalDataExporter,
      inject: [PostgresEventStore, PERSONAL_DATA_CODEC, PersonalDataVault, Clock],
      useFactory: (store: PostgresEventStore, codec: PersonalDataCodec, vault: PersonalDataVault, clock: Clock) =>
        new PersonalDataExporter(store, codec, vault, PERSONAL_DATA_REGISTRY, () => clock.now()),
    },
  ],
  exports: [PERSONAL_DATA_CODEC, PrivacyModule, SubjectErasure, PersonalDataExporter],
})
export class PersonalDataModule {}
