import type request from 'supertest';

type Http = ReturnType<typeof request>;

/** A login, sent through the test's "reverse proxy" as coming from `address` (X-Forwarded-For) if given. */
export function loginFrom(http: Http, email: string, password: string, address?: string) {
  const call = http.post('/api/auth/login');
  if (address) call.set('X-Forwarded-For', address);
  return call.send({ email, password });
}

/** `times` wrong passwords for `email` from `address`: the statuses answered, in order. */
export async function guessFrom(http: Http, email: string, address: string | undefined, times: number): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < times; i += 1) statuses.push((await loginFrom(http, email, `wrong-guess-${i}`, address)).status);
  return statuses;
}

/** n copies of a status, to compare with what guessFrom answered. */
export const times = (n: number, status: number) => Array<number>(n).fill(status);
