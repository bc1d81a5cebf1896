import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

/**
 * The query of every list (API.md): `limit` 1..500, default 50, and the cursor of the page before. The
 * cursor is checked by the list itself (ListCursors): it must be one that list gave, for the same filters.
 */
export class ListQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 50 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500)
  limit?: number;

  @ApiPropertyOptional({ description: "the previous page's nextCursor, unchanged; a cursor is bound to its list, its filters and the account's institution" })
  @IsOptional() @IsString() @MaxLength(1024)
  cursor?: string;
}
