import { ValidationProblem } from '@passerelle/platform';
import { assertPasswordAccepted, passwordWeakness } from './password-policy';

describe('the password policy', () => {
  it('refuses a password of one repeated character, whatever its length or case', () => {
    for (const password of ['aaaaaaaaaaaa', 'x'.repeat(1024), 'AaAaAaAaAaAa', '111111111111111', 'éééééééééééé', '😀'.repeat(12)]) {
      expect({ password, weakness: passwordWeakness(password) }).toEqual({ password, weakness: 'must not be one character repeated' });
    }
  });

  it('refuses only spaces (or other blank characters), of any length', () => {
    for (const password of [' '.repeat(12), ' '.repeat(40), '\t \n'.repeat(5), '\u00a0'.repeat(13), '']) {
      expect({ password, weakness: passwordWeakness(password) }).toEqual({ password, weakness: 'must not be only spaces' });
    }
  });

  it('refuses a password found in the common-password list, without regard to case or surrounding spaces', () => {
    for (const password of ['passwordpassword', 'PasswordPassword', 'PASSWORD1234', '  qwerty123456  ', '1qaz2wsx3edc', '123456789012']) {
      expect({ password, weakness: passwordWeakness(password) }).toEqual({ password, weakness: 'is one of the most common passwords: choose another' });
    }
    expect(passwordWeakness('password')).toBe('is one of the most common passwords: choose another');
  });

  it('refuses a password shorter than 12 characters or longer than 1024', () => {
    expect(passwordWeakness('Xk4#bN7q!2z')).toBe('must be at least 12 characters long');
    expect(passwordWeakness(`${'ab'.repeat(512)}c`)).toBe('must be at most 1024 characters long');
  });

  it('accepts a long, uncommon password, spaces inside included', () => {
    for (const password of ['admin-password-for-tests', 'correct horse battery staple', 'Xk4#bN7q!2zW', 'aaaaaaaaaaab', `${'ab'.repeat(512)}`]) {
      expect({ password, weakness: passwordWeakness(password) }).toEqual({ password, weakness: null });
    }
  });

  it('says why as a 400 naming the field', () => {
    let thrown: unknown;
    try {
      assertPasswordAccepted('passwordpassword');
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(ValidationProblem);
    expect((thrown as ValidationProblem).getStatus()).toBe(400);
    expect((thrown as ValidationProblem).errors).toEqual([{ field: 'password', message: 'password is one of the most common passwords: choose another' }]);
    expect(() => assertPasswordAccepted('a-fine-long-passphrase')).not.toThrow();
  });
});
