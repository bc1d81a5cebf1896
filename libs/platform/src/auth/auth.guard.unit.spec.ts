import { createSecretKey } from 'node:crypto';
import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { ProblemException } from '../http/problem';
import { Clock } from '../runtime/clock';
import { AuthGuard } from './auth.guard';

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
  }
  const clock = new FakeClock();
  const guard = new AuthGuard(new Reflector(), jwt, clock);

  function handler() {}
  class Controller {}

  async function attempt(token: string): Promise<{ user?: unknown; status?: number }> {
    const request: { headers: Record<string, string>; user?: unknown } = { headers: { authorization: `Bearer ${token}` } };
    const context = {
      getHandler: () => handler,
      getClass: () => Controller,
      switchToHttp: () => ({ getRequest: () => request }),
    } as unknown as ExecutionContext;
    try {
      await guard.canActivate(context);
      return { user: request.user };
    } catch (err) {
      return { status: (err as ProblemException).getStatus() };
    }
  }

  const claims = { sub: 'u1', email: 'staff@institute.test', role: 'staff', institutionId: null };

  it('lets a valid token in, again and again, with its claims', async () => {
    const token = await jwt.signAsync(claims, { expiresIn: 60 });
    const expected = { id: 'u1', email: 'staff@institute.test', role: 'staff', institutionId: null };
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
});
