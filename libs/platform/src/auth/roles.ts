/** Who may do what: the roles a token carries, checked by the guard and granted by the accounts context. */
export type Role = 'admin' | 'staff' | 'partner';
export const ROLES: readonly Role[] = ['admin', 'staff', 'partner'];
