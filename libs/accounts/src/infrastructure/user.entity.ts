import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { Role } from '@passerelle/platform';

/**
 * Accounts are kept in a table, not in the event store: credentials must be replaceable and
 * erasable, which an append-only log is not.
 */
@Entity({ name: 'users' })
export class UserEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column('text')
  email: string;

  @Column('text', { name: 'full_name' })
  fullName: string;

  @Column('text')
  role: Role;

  @Column('text', { name: 'password_hash', nullable: true, select: false })
  passwordHash: string | null;

  @Column('uuid', { name: 'institution_id', nullable: true })
  institutionId: string | null;

  /** Set when an admin closes the account: its tokens stop working and it can no longer log in. */
  @Column('timestamptz', { name: 'closed_at', nullable: true })
  closedAt: Date | null;

  /** Moved on by a password change or a closure; an access token carries the one it was issued under. */
  @Column('integer', { name: 'token_generation', default: 0 })
  tokenGeneration: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
