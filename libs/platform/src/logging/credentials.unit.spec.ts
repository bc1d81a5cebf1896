import { redactedUrl } from './credentials';

describe('an address as it may be logged', () => {
  it.each([
    ['/admin/queues?access_token=eyJhbGciOi.eyJzdWIiOi.c2lnbmF0dXJl', '/admin/queues?access_token=[redacted]'],
    ['/admin/queues?x=1&ACCESS_TOKEN=abc&y=2', '/admin/queues?x=1&ACCESS_TOKEN=[redacted]&y=2'],
    ['/somewhere?token=abc&refresh_token=def&password=ghi&client_secret=jkl&api-key=mno&apikey=pqr&sig=keep', '/somewhere?token=[redacted]&refresh_token=[redacted]&password=[redacted]&client_secret=[redacted]&api-key=[redacted]&apikey=[redacted]&sig=keep'],
    ['/x?access%5Ftoken=abc', '/x?access%5Ftoken=[redacted]'],
    ['/rsvp/Ab3_-xYz?after=12', '/rsvp/[redacted]?after=12'],
    ['/api/rsvp/Ab3_-xYz', '/api/rsvp/[redacted]'],
    ['/activate/Ab3_-xYz/', '/activate/[redacted]/'],
    ['/api/workshops?limit=5&cursor=abc', '/api/workshops?limit=5&cursor=abc'],
    ['/api/auth/activate', '/api/auth/activate'],
    ['/api/me', '/api/me'],
    ['/api/privacy/subjects?email=siti%40kominfo.go.id', '/api/privacy/subjects?email=[redacted]'],
    ['/api/privacy/subjects?Email=siti@kominfo.go.id&x=1', '/api/privacy/subjects?Email=[redacted]&x=1'],
  ])('%s is logged as %s', (url, logged) => {
    expect(redactedUrl(url)).toBe(logged);
  });
});
