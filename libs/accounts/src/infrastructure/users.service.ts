import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { In, type Repository } from 'typeorm';
import { EventStorePool, ProblemException, type Role } from '@passerelle/platform';
import { hashPassword } from './password';
import { assertPasswordAccepted } from './password-policy';
import { UserEntity } from './user.entity';

export interface NewUser {
  email: string;
  fullName: string;
  role: Role;
  password: string | null;
  institutionId?: string | null;
  id?: string;
}

@Injectable()
export class UsersService {
  constructor(
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
    private readonly pool: EventStorePool,
  ) {}

  findById(id: string): Promise<UserEntity | null> {
    return this.users.findOneBy({ id });
  }

  findByIds(ids: string[]): Promise<UserEntity[]> {
    return ids.length === 0 ? Promise.resolve([]) : this.users.findBy({ id: In(ids) });
  }

  /** The user and its password hash, for checking credentials only. */
  findWithHash(email: string): Promise<UserEntity | null> {
    return this.users
      .createQueryBuilder('user')
      .addSelect('user.passwordHash')
      .where('lower(user.email) = lower(:email)', { email })
      .getOne();
  }

  /** The user and its password hash, by id. */
  findWithHashById(id: string): Promise<UserEntity | null> {
    return this.users.createQueryBuilder('user').addSelect('user.passwordHash').where('user.id = :id', { id }).getOne();
  }

  /**
   * Replaces the password of an open account and moves its token generation on (revoking every token
   * issued before): the new generation, or null if the account is gone or closed.
   */
  async replacePassword(id: string, password: string): Promise<number | null> {
    assertPasswordAccepted(password);
    const hash = await hashPassword(password);
    const { rows } = await this.pool.query<{ token_generation: number }>(
      `UPDATE users SET password_hash = $2, token_generation = token_generation + 1, updated_at = now()
       WHERE id = $1 AND closed_at IS NULL RETURNING token_generation`,
      [id, hash],
    );
    return rows[0]?.token_generation ?? null;
  }

  /**
   * Closes the account and revokes its tokens: `closed` with the account, `already-closed`, or
   * `unknown` when there is no account with this id.
   */
  async close(id: string): Promise<{ outcome: 'closed'; user: UserEntity } | { outcome: 'already-closed' | 'unknown' }> {
    const { rows } = await this.pool.query(
      `UPDATE users SET closed_at = now(), token_generation = token_generation + 1, updated_at = now()
       WHERE id = $1 AND closed_at IS NULL RETURNING id`,
      [id],
    );
    const user = await this.findById(id);
    if (!user) return { outcome: 'unknown' };
    return rows.length === 1 ? { outcome: 'closed', user } : { outcome: 'already-closed' };
  }

  /** The open or closed accounts of these addresses (compared case-blind), erased ones aside. */
  async findByAddresses(addresses: string[]): Promise<UserEntity[]> {
    if (addresses.length === 0) return [];
    const { rows } = await this.pool.query<{ id: string }>('SELECT id FROM users WHERE lower(email) = ANY($1::text[])', [addresses.map((a) => a.trim().toLowerCase())]);
    return this.findByIds(rows.map((row) => row.id));
  }

  /** Every account not erased yet: id and address (what an erasure compares when it does not know the address). */
  async unerasedAddresses(): Promise<{ id: string; email: string }[]> {
    const { rows } = await this.pool.query<{ id: string; email: string }>("SELECT id, email FROM users WHERE email NOT LIKE 'erased-%@invalid'");
    return rows;
  }

  /**
   * Removes the person from a (closed) account: its address becomes `erased-<id>@invalid` (unique, and no
   * one can log in with it), its name `[erased]`, its password and unused activation links go, and its
   * tokens stop working. The row stays, so that what it did keeps an author id.
   */
  async eraseIdentity(id: string): Promise<void> {
    await this.pool.query(
      `UPDATE users SET email = 'erased-' || id || '@invalid', full_name = '[erased]', password_hash = NULL,
         closed_at = coalesce(closed_at, now()), token_generation = token_generation + 1, updated_at = now()
       WHERE id = $1`,
      [id],
    );
    await this.pool.query('DELETE FROM activation_tokens WHERE user_id = $1', [id]);
  }

  /** Creates the user; a password the policy refuses is a 400, an e-mail already in use a 409. */
  async create(user: NewUser): Promise<UserEntity> {
    if (user.password !== null) assertPasswordAccepted(user.password);
    const entity = this.users.create({
      id: user.id ?? randomUUID(),
      email: user.email.trim(),
      fullName: user.fullName.trim(),
      role: user.role,
      institutionId: user.institutionId ?? null,
      passwordHash: user.password === null ? null : await hashPassword(user.password),
    });
    const inserted = await this.users
      .createQueryBuilder()
      .insert()
      .values(entity)
      .orIgnore()
      .returning('id')
      .execute();
    if (inserted.raw.length === 0) {
      throw new ProblemException(HttpStatus.CONFLICT, 'email-taken', 'Conflict', 'An account with this e-mail already exists');
    }
    return (await this.findById(entity.id))!;
  }

  /** Creates the admin account named by the configuration unless an account has that e-mail. */
  async ensureAdmin(email: string, password: string): Promise<boolean> {
    if (await this.findWithHash(email)) return false;
    try {
      await this.create({ email, fullName: 'Administrator', role: 'admin', password });
      return true;
    } catch (err) {
      if (err instanceof ProblemException) return false;
      throw err;
    }
  }
}
