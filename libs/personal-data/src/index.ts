export { PERSONAL_DATA_REGISTRY } from './personal-data.registry';
export { PersonalDataModule } from './personal-data.module';
export { READ_MODELS, rebuildReadModels, type RebuildWait } from './read-models';
