import type { MinistryContact } from './ministry.events';

export type MinistryCommand = { type: 'SetMinistryContact'; contact: MinistryContact; at: string };
