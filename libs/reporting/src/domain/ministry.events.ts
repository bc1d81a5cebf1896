/** The ministry that receives a country's post-workshop report, in its language. */
export interface MinistryContact {
  country: string;
  ministryName: string;
  email: string;
  language: string;
}

export type MinistryEvent =
  | { type: 'MinistryContactSet'; data: MinistryContact & { setAt: string } }
  | { type: 'MinistryContactChanged'; data: MinistryContact & { changedAt: string } };
