export { PERSONAL_DATA_REGISTRY } from './personal-data.registry';
export { PersonalDataModule } from './personal-data.module';
