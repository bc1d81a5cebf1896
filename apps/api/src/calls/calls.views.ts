import { ApiProperty } from '@nestjs/swagger';
import { WriteAnswerView } from '@passerelle/platform';

/** What the call endpoints answer, for the OpenAPI document. */

const STATUSES = ['scheduled', 'open', 'closed'];

export class BudgetCeilingView {
  @ApiProperty() amount: number;
  @ApiProperty({ example: 'USD' }) currency: string;
}

export class CallView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() title: string;
  @ApiProperty() summary: string;
  @ApiProperty({ type: [String] }) sectors: string[];
  @ApiProperty({ type: [String] }) countries: string[];
  @ApiProperty() opensAt: string;
  @ApiProperty() closesAt: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) workshopId: string | null;
  @ApiProperty({ type: BudgetCeilingView, nullable: true }) budgetCeiling: BudgetCeilingView | null;
  @ApiProperty({ enum: STATUSES, description: 'now: scheduled before opensAt, open until closesAt or an early close, closed after' }) status: string;
  @ApiProperty({ type: String, nullable: true, description: 'when it was recorded closed: its closing time, or when staff closed it early' }) closedAt: string | null;
  @ApiProperty({ type: String, enum: ['staff', 'deadline'], nullable: true }) closedBy: string | null;
  @ApiProperty({ type: String, nullable: true }) closeReason: string | null;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
  @ApiProperty() version: number;
}

export class CallPageView {
  @ApiProperty({ type: [CallView] }) items: CallView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class CallWriteView extends WriteAnswerView {
  @ApiProperty({ enum: STATUSES, description: 'the status the write left the call in' }) status: string;
}
