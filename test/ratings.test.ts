/**
 * Ratings and follow-ups (SPEC §6a, issue 16), over HTTP: the citizen who
 * applied rates their decided case once; a rating of 1 or 2 opens a follow-up
 * that only the deciding department answers, once; the citizen reads the
 * answer; unanswered past its due date it is OVERDUE. Every refusal has its
 * test, and the database itself refuses to edit a rating or an answer.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { errorCodes } from '../src/errors.js';
import { citizenHeaders, startTestHub, STEWARD, type TestHub } from './setup/hub.js';

const DEMO = '610113198807150016';
const DESK = { authorization: `Bearer ${inject('demoKeys')['licensing-desk']}`, 'x-purpose': 'RATING_FOLLOW_UP' };
const BENEFITS = { authorization: `Bearer ${inject('demoKeys')['benefits-office']}`, 'x-purpose': 'RATING_FOLLOW_UP' };
const DAY_MS = 86_400_000;

let t: TestHub;
let me: Record<string, string>;
let other: string;
let enterpriseId: string;

/** Fixture cases of this file, numbered apart from the seeded ones (SC + 2019 + 7 digits). */
const DECIDED = 'SC20190000001';
const GOOD = 'SC20190000002';
const OPEN = 'SC20190000003';
const OTHERS = 'SC20190000004';
const ENTERPRISE_CASE = 'SC20190000005';
const OLD_BAD = 'SC20190000006';

async function insertCase(number: string, applicantId: string, options: { decided: boolean; enterpriseId?: string; department?: string }) {
  const service = options.enterpriseId ? 'FOOD_BUSINESS_PERMIT' : 'DRIVING_LICENSE_RENEWAL';
  await t.dbs.cases.rows(sql`
    insert into cases.cases (number, service_code, applicant_id, enterprise_id, department, status, submitted_at, due_at, decided_at)
    values (${number}, ${service}, ${applicantId}, ${options.enterpriseId ?? null}, ${options.department ?? 'licensing'},
      ${options.decided ? 'APPROVED' : 'IN_REVIEW'}, now() - interval '30 days', now() - interval '10 days',
      ${options.decided ? sql`now() - interval '12 days'` : null})`);
}

const RATING = `caseNumber rating comment ratedAt followUp { id caseNumber department rating comment openedAt dueAt status response answeredBy answeredAt }`;
const rate = (caseNumber: string, rating: number, comment: string | null, headers = me) =>
  t.graphql(`mutation($n: String!, $r: Int!, $c: String) { rateCase(caseNumber: $n, rating: $r, comment: $c) { ${RATING} } }`, { n: caseNumber, r: rating, c: comment }, headers);

beforeAll(async () => {
  t = await startTestHub({ RATE_LIMIT_PER_MINUTE: '1000000', FOLLOW_UP_DAYS: '15' });
  me = await citizenHeaders(DEMO);
  [{ id: other }] = await t.dbs.registry.rows<{ id: string }>(sql`select id from registry.citizens where id <> ${DEMO} and status = 'ALIVE' order by id limit 1`);
  [{ id: enterpriseId }] = await t.dbs.enterprise.rows<{ id: string }>(sql`select id from enterprise.enterprises where legal_representative_id = ${DEMO} and status = 'ACTIVE' order by id limit 1`);
  await insertCase(DECIDED, DEMO, { decided: true });
  await insertCase(GOOD, DEMO, { decided: true });
  await insertCase(OPEN, DEMO, { decided: false });
  await insertCase(OTHERS, other, { decided: true });
  await insertCase(ENTERPRISE_CASE, other, { decided: true, enterpriseId, department: 'market-regulation' });
  await insertCase(OLD_BAD, other, { decided: true });
});
afterAll(() => t?.close());

describe('a citizen rates their decided case', () => {
  let followUpId: string;

  it('a rating of 2 with a comment is written once and opens a follow-up for the deciding department, due FOLLOW_UP_DAYS later', async () => {
    const res = await rate(DECIDED, 2, '  Asked for the same papers twice.  ');
    expect(res.body.errors).toBeUndefined();
    const rating = res.body.data.rateCase;
    expect(rating).toMatchObject({ caseNumber: DECIDED, rating: 2, comment: 'Asked for the same papers twice.' });
    expect(Date.parse(rating.ratedAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(rating.followUp).toMatchObject({ caseNumber: DECIDED, department: 'licensing', rating: 2, status: 'OPEN', response: null, answeredBy: null });
    expect(Date.parse(rating.followUp.dueAt) - Date.parse(rating.followUp.openedAt)).toBe(15 * DAY_MS);
    followUpId = rating.followUp.id;
  });

  it('a rating of 4 opens no follow-up', async () => {
    const res = await rate(GOOD, 4, null);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.rateCase).toMatchObject({ caseNumber: GOOD, rating: 4, comment: null, followUp: null });
  });

  it('the legal representative rates the case of their enterprise', async () => {
    const res = await rate(ENTERPRISE_CASE, 5, 'Quick.');
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.rateCase).toMatchObject({ caseNumber: ENTERPRISE_CASE, rating: 5 });
  });

  it('the citizen reads their rating on the case', async () => {
    const res = await t.graphql(`{ case(number: "${DECIDED}") { number rating { ${RATING} } } }`, {}, me);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.case.rating).toMatchObject({ rating: 2, followUp: { id: followUpId, status: 'OPEN' } });
  });

  it("another citizen does not read it: the rating is the applicant's own data", async () => {
    const res = await t.graphql(`{ case(number: "${DECIDED}") { number rating { rating comment } } }`, {}, await citizenHeaders(other));
    expect(res.body.data.case.rating).toBeNull();
    expect(res.body.errors!.map((e) => e.extensions)).toContainEqual(expect.objectContaining({ code: 'FORBIDDEN', field: 'Case.rating', reason: 'NOT_SELF' }));
  });

  describe('refusals', () => {
    const expectRefused = (res: Awaited<ReturnType<typeof rate>>, argument: string, message: RegExp) => {
      expect(res.body.data).toBeNull();
      expect(res.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument });
      expect(res.body.errors![0].message).toMatch(message);
    };

    it('a second rating of the same case', async () => {
      expectRefused(await rate(DECIDED, 5, 'Changed my mind.'), 'caseNumber', /rated once and a rating is never changed/);
      const res = await t.graphql(`{ case(number: "${DECIDED}") { rating { rating comment } } }`, {}, me);
      expect(res.body.data.case.rating).toEqual({ rating: 2, comment: 'Asked for the same papers twice.' });
    });

    it('a rating of 6, or 0', async () => {
      expectRefused(await rate(OPEN, 6, null), 'rating', /1 \(very dissatisfied\) to 5 \(very satisfied\), got 6/);
      expectRefused(await rate(OPEN, 0, null), 'rating', /got 0/);
    });

    it("someone else's case gets the same answer as a case that does not exist", async () => {
      const theirs = await rate(OTHERS, 1, null);
      const missing = await rate('SC20199999999', 1, null);
      expectRefused(theirs, 'caseNumber', /you have no case/);
      expect(theirs.body.errors![0].message).toBe(missing.body.errors![0].message.replace('SC20199999999', OTHERS));
      const [{ n }] = await t.dbs.cases.rows<{ n: number }>(sql`select count(*)::int as n from cases.case_ratings where case_number = ${OTHERS}`);
      expect(n).toBe(0);
    });

    it('an open case', async () => {
      expectRefused(await rate(OPEN, 3, null), 'caseNumber', /not decided yet \(IN_REVIEW\)/);
    });

    it('a comment over 500 characters, or with control characters', async () => {
      expectRefused(await rate(OTHERS, 3, 'x'.repeat(501), await citizenHeaders(other)), 'comment', /longer than 500/);
      expectRefused(await rate(OTHERS, 3, 'bad\u0007bell', await citizenHeaders(other)), 'comment', /control characters/);
    });

    it('an application or a steward cannot rate', async () => {
      for (const headers of [DESK, STEWARD]) {
        const res = await rate(OTHERS, 5, null, headers);
        expect(res.body.data).toBeNull();
        expect(res.body.errors![0].extensions).toMatchObject({ code: 'FORBIDDEN', field: 'Mutation.rateCase' });
      }
    });
  });

  describe('the follow-up', () => {
    const LIST = `query($s: FollowUpStatus) { ratingFollowUps(status: $s) { id caseNumber department rating comment status response answeredBy } }`;

    it('the deciding department lists it with the rating and comment, and the read is in the citizen\'s access history', async () => {
      const res = await t.graphql(LIST, { s: 'OPEN' }, DESK);
      expect(res.body.errors).toBeUndefined();
      const mine = res.body.data.ratingFollowUps.find((f: { id: string }) => f.id === followUpId);
      expect(mine).toMatchObject({ caseNumber: DECIDED, department: 'licensing', rating: 2, comment: 'Asked for the same papers twice.', status: 'OPEN' });
      expect(res.body.data.ratingFollowUps.every((f: { department: string }) => f.department === 'licensing')).toBe(true);
      const history = await t.graphql(`{ myDataAccess(first: 5) { edges { node { consumerId purpose fieldsReturned } } } }`, {}, me);
      expect(history.body.data.myDataAccess.edges.map((e: { node: unknown }) => e.node)).toContainEqual({
        consumerId: 'licensing-desk',
        purpose: 'RATING_FOLLOW_UP',
        fieldsReturned: ['RatingFollowUp.comment', 'RatingFollowUp.rating'],
      });
    });

    it('another department does not list it, and cannot answer it', async () => {
      const listed = await t.graphql(LIST, {}, BENEFITS);
      expect(listed.body.errors).toBeUndefined();
      expect(listed.body.data.ratingFollowUps.map((f: { id: string }) => f.id)).not.toContain(followUpId);
      const res = await t.graphql(`mutation($id: ID!) { answerFollowUp(id: $id, response: "Not ours.") { id } }`, { id: followUpId }, BENEFITS);
      expect(res.body.data).toBeNull();
      expect(res.body.errors![0].extensions!.code).toBe('FORBIDDEN');
      expect(res.body.errors![0].message).toMatch(/Only the deciding department \(licensing\) answers/);
    });

    it('a steward lists it without the citizen\'s rating and comment (personal data)', async () => {
      const res = await t.graphql(LIST, {}, STEWARD);
      const mine = res.body.data.ratingFollowUps.find((f: { id: string }) => f.id === followUpId);
      expect(mine).toMatchObject({ caseNumber: DECIDED, status: 'OPEN', rating: null, comment: null });
      const denied = res.body.errors!.filter((e) => e.extensions!.code === 'FORBIDDEN').map((e) => e.extensions!.field);
      expect(new Set(denied)).toEqual(new Set(['RatingFollowUp.rating', 'RatingFollowUp.comment']));
    });

    it('a consumer without a grant on Case.rating does not read the rating through the case', async () => {
      const res = await t.graphql(`{ case(number: "${DECIDED}") { number rating { rating } } }`, {}, DESK);
      expect(res.body.data.case).toEqual({ number: DECIDED, rating: null });
      expect(res.body.errors![0].extensions).toMatchObject({ code: 'FORBIDDEN', field: 'Case.rating', reason: 'NO_GRANT' });
    });

    it('the deciding department answers once, recorded with its consumer; the citizen reads the answer', async () => {
      const answer = `mutation($id: ID!, $r: String!) { answerFollowUp(id: $id, response: $r) { id status response answeredBy answeredAt } }`;
      const res = await t.graphql(answer, { id: followUpId, r: 'We are sorry: the papers are now read from the registry.' }, { ...DESK, 'x-on-behalf-of': 'officer-17' });
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data.answerFollowUp).toMatchObject({ status: 'ANSWERED', response: 'We are sorry: the papers are now read from the registry.', answeredBy: 'licensing-desk' });
      const [{ officer }] = await t.dbs.cases.rows<{ officer: string }>(sql`select answered_by_officer as officer from cases.rating_follow_ups where id = ${followUpId}`);
      expect(officer).toBe('officer-17');

      const again = await t.graphql(answer, { id: followUpId, r: 'Another answer.' }, DESK);
      expect(again.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'id' });
      expect(again.body.errors![0].message).toMatch(/answered by licensing-desk .* an answer is never changed/);

      const read = await t.graphql(`{ cases(first: 50) { edges { node { number rating { followUp { status response answeredAt } } } } } }`, {}, me);
      expect(read.body.errors).toBeUndefined();
      const node = read.body.data.cases.edges.map((e: { node: any }) => e.node).find((n: { number: string }) => n.number === DECIDED);
      expect(node.rating.followUp).toMatchObject({ status: 'ANSWERED', response: 'We are sorry: the papers are now read from the registry.' });
    });

    it('an unknown id, an empty response, and a citizen answering are refused', async () => {
      const unknown = await t.graphql(`mutation { answerFollowUp(id: "00000000-0000-4000-8000-000000000000", response: "Hello") { id } }`, {}, DESK);
      expect(unknown.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'id' });
      const empty = await t.graphql(`mutation($id: ID!) { answerFollowUp(id: $id, response: "   ") { id } }`, { id: followUpId }, DESK);
      expect(empty.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'response' });
      const citizen = await t.graphql(`mutation($id: ID!) { answerFollowUp(id: $id, response: "Me") { id } }`, { id: followUpId }, me);
      expect(citizen.body.errors![0].extensions).toMatchObject({ code: 'FORBIDDEN', field: 'Mutation.answerFollowUp' });
    });

    it('unanswered past its due date it is OVERDUE, and stewards see it', async () => {
      await t.dbs.cases.rows(sql`insert into cases.case_ratings (case_number, department, service_code, rating, comment, rated_by, rated_at) values (${OLD_BAD}, 'licensing', 'DRIVING_LICENSE_RENEWAL', 1, null, ${other}, now() - interval '40 days')`);
      await t.dbs.cases.rows(sql`insert into cases.rating_follow_ups (case_number, department, opened_at, due_at) values (${OLD_BAD}, 'licensing', now() - interval '40 days', now() - interval '25 days')`);
      const res = await t.graphql(`{ ratingFollowUps(status: OVERDUE) { caseNumber status } }`, {}, STEWARD);
      expect(res.body.data.ratingFollowUps).toContainEqual({ caseNumber: OLD_BAD, status: 'OVERDUE' });
      expect(res.body.data.ratingFollowUps.every((f: { status: string }) => f.status === 'OVERDUE')).toBe(true);
      const open = await t.graphql(`{ ratingFollowUps(status: OPEN) { caseNumber } }`, {}, STEWARD);
      expect(open.body.data.ratingFollowUps).not.toContainEqual({ caseNumber: OLD_BAD });
    });

    it('ratingFollowUpCounts counts each state: a steward every department\'s, a consumer its own', async () => {
      const COUNTS = `{ ratingFollowUpCounts { open answered overdue } open: ratingFollowUps(status: OPEN) { department } answered: ratingFollowUps(status: ANSWERED) { department } overdue: ratingFollowUps(status: OVERDUE) { department } }`;
      const all = await t.graphql(COUNTS, {}, STEWARD);
      expect(all.body.errors).toBeUndefined();
      const { ratingFollowUpCounts: counts, open, answered, overdue } = all.body.data;
      expect(counts).toEqual({ open: open.length, answered: answered.length, overdue: overdue.length });
      const desk = await t.graphql(COUNTS, {}, DESK);
      const ofLicensing = (list: { department: string }[]) => list.filter((f) => f.department === 'licensing').length;
      expect(desk.body.data.ratingFollowUpCounts).toEqual({ open: ofLicensing(open), answered: ofLicensing(answered), overdue: ofLicensing(overdue) });
      expect(desk.body.data.ratingFollowUpCounts.overdue).toBeGreaterThan(0);
      const citizen = await t.graphql(`{ ratingFollowUpCounts { open } }`, {}, me);
      expect(citizen.body.errors![0].extensions).toMatchObject({ code: 'FORBIDDEN', field: 'Query.ratingFollowUpCounts' });
    });
  });

  it('the database refuses to change or delete a rating, and to change an answer', async () => {
    // insufficient_privilege, raised by the triggers of migrations/cases/0004_ratings.sql (not some other failure).
    const refusedByTrigger = (error: unknown) => errorCodes(error).includes('42501');
    await expect(t.dbs.cases.rows(sql`update cases.case_ratings set rating = 5 where case_number = ${DECIDED}`)).rejects.toSatisfy(refusedByTrigger);
    await expect(t.dbs.cases.rows(sql`delete from cases.case_ratings where case_number = ${DECIDED}`)).rejects.toSatisfy(refusedByTrigger);
    await expect(t.dbs.cases.rows(sql`update cases.rating_follow_ups set response = 'Edited' where case_number = ${DECIDED}`)).rejects.toSatisfy(refusedByTrigger);
    await expect(t.dbs.cases.rows(sql`delete from cases.rating_follow_ups where case_number = ${DECIDED}`)).rejects.toSatisfy(refusedByTrigger);
    const [{ rating }] = await t.dbs.cases.rows<{ rating: number }>(sql`select rating from cases.case_ratings where case_number = ${DECIDED}`);
    expect(rating).toBe(2);
  });
});
