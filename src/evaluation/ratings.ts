import { BadUserInputError, ForbiddenError } from '../errors.js';
import type { HubContext } from '../graph/context.js';
import { pageSizeArgument, textArgument } from '../graph/arguments.js';
import { UUID } from '../hub/manager.js';
import type { CaseRatingRecord, FollowUpRecord, FollowUpStatus } from '../sources/cases/index.js';

/**
 * Ratings and their follow-ups (SPEC §6a, issue 16): the citizen who applied
 * rates a decided case once; a rating of 1 or 2 opens a follow-up that the
 * deciding department answers once. Who rated and who answered are the
 * credentials' identities (SPEC §3); neither can be edited afterwards (triggers
 * in the cases database).
 */

const COMMENT_MAX = 500;
const RESPONSE_MAX = 2000;
const CASE_NUMBER = /^[A-Z]{2}[0-9]{4,20}$/;

/** A rating and the follow-up it opened, as rateCase returns it (CaseRating.followUp reads the follow-up through its loader). */
export async function rateCase(ctx: HubContext, caseNumber: string, rating: number, comment: string | null | undefined): Promise<CaseRatingRecord> {
  if (!Number.isInteger(rating) || rating < 1 || rating > 5) {
    throw new BadUserInputError('rating', `a rating is 1 (very dissatisfied) to 5 (very satisfied), got ${rating}.`);
  }
  const text = textArgument('comment', comment, { max: COMMENT_MAX, what: 'the comment', optional: true });
  // One answer for "no such case" and "not yours": whether someone else's case exists is not the caller's to learn.
  const notYours = () => new BadUserInputError('caseNumber', `you have no case ${caseNumber} (as applicant, or for an enterprise you represent); take the number from your cases.`);
  if (!CASE_NUMBER.test(caseNumber)) throw notYours();
  const found = await ctx.loaders.cases.case.load(caseNumber);
  if (!found) throw notYours();
  const theirs = found.applicantId === ctx.viewer.citizenId || (found.enterpriseId !== null && (await ctx.access.represents(found.enterpriseId)));
  if (!theirs) throw notYours();
  if (found.decidedAt === null) {
    throw new BadUserInputError('caseNumber', `case ${caseNumber} is not decided yet (${found.status}); rate it once the department has decided it.`);
  }
  const written = await ctx.stores.cases.rate({ caseNumber, applicantId: found.applicantId, enterpriseId: found.enterpriseId, department: found.department, serviceCode: found.serviceCode, rating, comment: text, ratedBy: ctx.viewer.citizenId!, followUpDays: ctx.limits.followUpDays });
  if (!written) {
    const [earlier] = await ctx.stores.cases.ratingsOfCases([caseNumber]);
    throw new BadUserInputError('caseNumber', `case ${caseNumber} was rated${earlier ? ` at ${earlier.ratedAt}` : ''}; a case is rated once and a rating is never changed.`);
  }
  ctx.loaders.cases.followUpOfCase.prime(caseNumber, written.followUp);
  return written.rating;
}

/** The follow-ups the caller handles (SPEC §6a): a consumer its department's, a steward every department's. */
export async function ratingFollowUps(ctx: HubContext, status: FollowUpStatus | null, first: number | null | undefined): Promise<FollowUpRecord[]> {
  const size = pageSizeArgument('first', first, ctx.limits.pageSize, ctx.limits.pageSize);
  const scope = ctx.access.narrowCaseFilter<{ department?: string | null }>({});
  if (!scope) return [];
  return ctx.stores.cases.listFollowUps(scope.department ?? null, status, size);
}

/** How many follow-ups the caller handles are in each state. */
export async function ratingFollowUpCounts(ctx: HubContext): Promise<Record<'open' | 'answered' | 'overdue', number>> {
  const scope = ctx.access.narrowCaseFilter<{ department?: string | null }>({});
  if (!scope) return { open: 0, answered: 0, overdue: 0 };
  return ctx.stores.cases.countFollowUps(scope.department ?? null);
}

/** Answers a follow-up of the caller's department, once. */
export async function answerFollowUp(ctx: HubContext, id: string, response: string): Promise<FollowUpRecord> {
  const text = textArgument('response', response, { max: RESPONSE_MAX, what: 'the response' });
  const unknown = () => new BadUserInputError('id', `no follow-up has id ${id}; list them with ratingFollowUps.`);
  if (!UUID.test(id)) throw unknown();
  const followUp = await ctx.stores.cases.followUpById(id);
  if (!followUp) throw unknown();
  const department = ctx.viewer.consumer?.department;
  if (followUp.department !== department) {
    throw new ForbiddenError(`Only the deciding department (${followUp.department}) answers this follow-up; your application is of ${department}.`);
  }
  if (followUp.status === 'ANSWERED') {
    throw new BadUserInputError('id', `the follow-up was answered by ${followUp.answeredBy} at ${followUp.answeredAt}; an answer is never changed.`);
  }
  const answered = await ctx.stores.cases.answerFollowUp(id, text, { actor: ctx.viewer.actor, officer: ctx.viewer.officer });
  if (!answered) throw new BadUserInputError('id', 'the follow-up was answered by someone else a moment ago; reload ratingFollowUps.');
  return answered;
}
