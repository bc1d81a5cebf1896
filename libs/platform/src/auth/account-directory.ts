import type { Role } from './roles';

/** What an access token's request is allowed as: read from the account, never from the token. */
export interface AccountStanding {
  id: string;
  email: string;
  role: Role;
  institutionId: string | null;
  closed: boolean;
  /** Moved on by a password change or a closure: tokens issued under an older one are revoked. */
  tokenGeneration: number;
}

/**
 * Where the auth guard reads accounts. The accounts context provides it (globally), so that the
 * platform's guard knows no table of another context.
 */
export abstract class AccountDirectory {
  /** The account, or null when there is none with this id. */
  abstract find(id: string): Promise<AccountStanding | null>;
}
