export { PERSONAL_DATA_REGISTRY } from './personal-data.registry';
export { PersonalDataModule } from './personal-data.module';
export { PersonalDataExporter } from './personal-data-export';
export type * from './personal-data-export.types';
export { READ_MODELS, rebuildReadModels, type RebuildWait } from './read-models';
