import type { SessionKind, WorkshopPlan } from './workshop.events';

export type WorkshopCommand =
  | ({ type: 'PlanWorkshop'; workshopId: string; at: string } & WorkshopPlan)
  | { type: 'AddSession'; sessionId: string; kind: SessionKind; title: string; startsAt: string; endsAt: string; location: string | null }
  | { type: 'OpenRegistration'; at: string }
  | { type: 'InviteParticipants'; invitations: { invitationId: string; email: string }[] }
  | { type: 'StartWorkshop'; at: string }
  | { type: 'RecordAttendance'; sessionId: string; invitationIds: string[] }
  | { type: 'PresentSolution'; solutionId: string; sessionId: string; company: string; title: string; sector: string }
  | { type: 'ConcludeWorkshop'; at: string };
