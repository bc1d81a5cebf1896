import 'reflect-metadata';
import { IsInt, IsString, validateSync } from 'class-validator';
import { rememberValidationRules } from './validation-rules';

const failed = (object: object) => validateSync(object).map((error) => error.property).sort();

describe('rememberValidationRules', () => {
  class Title {
    @IsString()
    title: unknown;
  }

  beforeAll(() => rememberValidationRules());

  it('validates as class-validator does, again and again', () => {
    for (let i = 0; i < 3; i += 1) {
      expect(failed(Object.assign(new Title(), { title: 42 }))).toEqual(['title']);
      expect(failed(Object.assign(new Title(), { title: 'ok' }))).toEqual([]);
    }
  });

  it('sees the rules of a class defined later, with those it inherits', () => {
    class Numbered extends Title {
      @IsInt()
      number: unknown;
    }
    expect(failed(Object.assign(new Numbered(), { title: 42, number: 'x' }))).toEqual(['number', 'title']);
    expect(failed(Object.assign(new Title(), { title: 42, number: 'x' }))).toEqual(['title']);
  });

  it('sees a rule added to a class it has already validated', () => {
    class Late {
      @IsString()
      name: unknown;
    }
    expect(failed(Object.assign(new Late(), { name: 'a', count: 'x' }))).toEqual([]);
    IsInt()(Late.prototype, 'count');
    expect(failed(Object.assign(new Late(), { name: 'a', count: 'x' }))).toEqual(['count']);
  });

  it('is idempotent', () => {
    rememberValidationRules();
    expect(failed(Object.assign(new Title(), { title: 42 }))).toEqual(['title']);
  });
});
