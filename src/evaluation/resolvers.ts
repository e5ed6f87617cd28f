import type { HubContext } from '../graph/context.js';
import type { FollowUpStatus } from '../sources/cases/index.js';
import { serviceEvaluation } from './evaluation.js';
import { answerFollowUp, rateCase, ratingFollowUpCounts, ratingFollowUps } from './ratings.js';

/** Satisfaction and evaluation (SPEC §6a). Roles come from @allow in the SDL; personal fields are decided by the access transform. */
export const evaluationResolvers = {
  Query: {
    ratingFollowUps: (_: unknown, args: { status?: FollowUpStatus | null; first?: number | null }, ctx: HubContext) => ratingFollowUps(ctx, args.status ?? null, args.first),
    ratingFollowUpCounts: (_: unknown, __: unknown, ctx: HubContext) => ratingFollowUpCounts(ctx),
    serviceEvaluation: (_: unknown, args: { from?: string | null; to?: string | null }, ctx: HubContext) => serviceEvaluation(ctx, args.from ?? null, args.to ?? null),
  },
  Mutation: {
    rateCase: (_: unknown, args: { caseNumber: string; rating: number; comment?: string | null }, ctx: HubContext) => rateCase(ctx, args.caseNumber, args.rating, args.comment),
    answerFollowUp: (_: unknown, args: { id: string; response: string }, ctx: HubContext) => answerFollowUp(ctx, args.id, args.response),
  },
};
