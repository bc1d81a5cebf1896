import { createSecretKey } from 'node:crypto';
import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { loadConfig } from '../config/app-config';
import { ProblemException } from '../http/problem';
import { Clock } from '../runtime/clock';
import { AccessTokens } from './access-tokens';
import { AccountDirectory, type AccountStanding } from './account-directory';
import { AccountStandingCache } from './account-standing.cache';
import { AuthGuard } from './auth.guard';
import { Roles } from './auth.decorators';

describe('AuthGuard', () => {
  const secret = createSecretKey(Buffer.from('a-secret-of-at-least-thirty-two-characters')) as unknown as string;
  const jwt = new JwtService({ secret, signOptions: { algorithm: 'HS256' } });
  /** Starts at the real time (tokens are signed with it) and moves only when told. */
  class FakeClock extends Clock {
    private at = Date.now();
    now(): number {
      return this.at;
    }
    advance(ms: number): void {
      this.at += ms;
    }
    reset(): void {
      this.at = Date.now();
    }
  }
  /** Accounts in memory, as the accounts context's directory would read them from its table. */
  class Accounts extends AccountDirectory {
    readonly rows = new Map<string, AccountStanding>();
    async find(id: string): Promise<AccountStanding | null> {
      return this.rows.get(id) ?? null;
    }
  }
  const clock = new FakeClock();
  const accounts = new Accounts();
  const cache = new AccountStandingCache(accounts, clock, loadConfig({ ACCOUNT_CACHE_SECONDS: '0' }));
  const guard = new AuthGuard(new Reflector(), new AccessTokens(jwt, clock, cache));

  function handler() {}
  class Open {}
  @Roles('admin')
  class AdminsOnly {}

  async function attempt(token: string, controller: object = Open): Promise<{ user?: unknown; status?: number }> {
    const request: { headers: Record<string, string>; user?: unknown } = { headers: { authorization: `Bearer ${token}` } };
    const context = {
      getHandler: () => handler,
      getClass: () => controller,
      switchToHttp: () => ({ getRequest: () => request }),
    } as unknown as ExecutionContext;
    try {
      await guard.canActivate(context);
      return { user: request.user };
    } catch (err) {
      return { status: (err as ProblemException).getStatus() };
    }
  }

  const id = '5d0c1a52-8d0e-4c55-9b0a-0f3b8f1c2d3e';
  const staff: AccountStanding = { id, email: 'staff@institute.test', role: 'staff', institutionId: null, closed: false, tokenGeneration: 0 };
  const claims = { sub: id, email: 'staff@institute.test', role: 'staff', institutionId: null, gen: 0 };
  const expected = { id, email: 'staff@institute.test', role: 'staff', institutionId: null };
  beforeEach(() => {
    clock.reset();
    accounts.rows.set(id, { ...staff });
  });

  it('lets a valid token in, again and again, as its account', async () => {
    const token = await jwt.signAsync(claims, { expiresIn: 60 });
    expect(await attempt(token)).toEqual({ user: expected });
    expect(await attempt(token)).toEqual({ user: expected });
  });

  it('refuses a token whose signature was altered, even after the genuine one was let in', async () => {
    const token = await jwt.signAsync(claims, { expiresIn: 60 });
    expect((await attempt(token)).user).toBeDefined();
    const [header, payload, signature] = token.split('.');
    const altered = `${header}.${payload}.${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`;
    expect(await attempt(altered)).toEqual({ status: 401 });
    const forged = `${header}.${Buffer.from(JSON.stringify({ ...claims, role: 'admin' })).toString('base64url')}.${signature}`;
    expect(await attempt(forged)).toEqual({ status: 401 });
  });

  it('refuses a token once it has expired, though it was let in before', async () => {
    const token = await jwt.signAsync(claims, { expiresIn: 60 });
    expect((await attempt(token)).user).toBeDefined();
    clock.advance(59_000);
    expect((await attempt(token)).user).toBeDefined();
    clock.advance(5_000);
    expect(await attempt(token)).toEqual({ status: 401 });
  });

  it('refuses a well-signed token without an expiry, or naming no account', async () => {
    expect(await attempt(await jwt.signAsync(claims))).toEqual({ status: 401 });
    expect(await attempt(await jwt.signAsync({ ...claims, sub: 'not-an-id' }, { expiresIn: 60 }))).toEqual({ status: 401 });
  });

  it('takes the role and institution from the account, not from the token', async () => {
    const token = await jwt.signAsync({ ...claims, role: 'admin' }, { expiresIn: 60 });
    expect(await attempt(token)).toEqual({ user: expected });
    expect(await attempt(token, AdminsOnly)).toEqual({ status: 403 });
    accounts.rows.set(id, { ...staff, role: 'admin' });
    expect(await attempt(token, AdminsOnly)).toEqual({ user: { ...expected, role: 'admin' } });
  });

  it('refuses the token of an account that is gone, closed, or whose tokens were revoked since', async () => {
    const token = await jwt.signAsync(claims, { expiresIn: 60 });
    accounts.rows.delete(id);
    expect(await attempt(token)).toEqual({ status: 401 });
    accounts.rows.set(id, { ...staff, closed: true });
    expect(await attempt(token)).toEqual({ status: 401 });
    accounts.rows.set(id, { ...staff, tokenGeneration: 1 });
    expect(await attempt(token)).toEqual({ status: 401 });
    expect(await attempt(await jwt.signAsync({ ...claims, gen: 1 }, { expiresIn: 60 }))).toEqual({ user: expected });
  });
});
