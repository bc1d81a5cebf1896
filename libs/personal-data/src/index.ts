export { PERSONAL_DATA_REGISTRY } from './personal-data.registry';
