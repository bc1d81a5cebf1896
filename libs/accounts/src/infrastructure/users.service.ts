import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { In, type Repository } from 'typeorm';
import { ProblemException, type Role } from '@passerelle/platform';
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
  constructor(@InjectRepository(UserEntity) private readonly users: Repository<UserEntity>) {}

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
