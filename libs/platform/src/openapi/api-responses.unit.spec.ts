import 'reflect-metadata';
import { Get, HttpCode, Post } from '@nestjs/common';
import { ApiAnswers } from './api-responses';
import { WriteAnswerView } from './problem.view';

describe('ApiAnswers', () => {
  it("takes the route's own status: 201 for a POST, 200 for a GET, or what @HttpCode says", () => {
    expect(() => {
      class Fine {
        @ApiAnswers('Create', 201, WriteAnswerView, [400])
        @Post()
        create() {}

        @ApiAnswers('Read', 200, WriteAnswerView, [404])
        @Get(':id')
        read() {}

        @ApiAnswers('Act', 202, WriteAnswerView, [409])
        @Post(':id/act')
        @HttpCode(202)
        act() {}
      }
      return Fine;
    }).not.toThrow();
  });

  it('refuses a status the route does not answer', () => {
    expect(() => {
      class Wrong {
        @ApiAnswers('Act', 200, WriteAnswerView, [409])
        @Post(':id/act')
        act() {}
      }
      return Wrong;
    }).toThrow('Wrong.act answers 201, but its OpenAPI description says 200');
  });

  it('refuses to be placed below the route, where it could not check', () => {
    expect(() => {
      class Misplaced {
        @Get()
        @ApiAnswers('List', 200, WriteAnswerView, [400])
        list() {}
      }
      return Misplaced;
    }).toThrow(/Misplaced.list: put @ApiAnswers above/);
  });
});
