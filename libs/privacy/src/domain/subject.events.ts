/**
 * A data subject's own stream (`subject-<subjectId>`): the record of their erasure. It names no one: the
 * subject id, when, why (in the admin's words; a reason names no person, see the API's validation), and the
 * streams that named them, so that every read model can strike them out.
 */
export type SubjectEvent = {
  type: 'PersonalDataErased';
  data: {
    subjectId: string;
    erasedAt: string;
    reason: string;
    /** `request` (an admin acting on a person's request) or `retention` (PERSONAL_DATA_RETENTION_DAYS). */
    basis: 'request' | 'retention';
    /** Every stream whose events named the subject, from `subject_streams`. */
    streamIds: string[];
    /** E-mails already sent to the subject's address: they cannot be recalled. */
    emailsAlreadySent: number;
  };
};

export type SubjectCommand = { type: 'ErasePersonalData' } & SubjectEvent['data'];
