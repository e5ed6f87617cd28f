/**
 * The evaluation system (SPEC §6a, issue 16): serviceEvaluation scores each
 * department on five dimensions from indicators against configured targets.
 * One department's figures are checked against a hand computation on a small
 * fixture in a year the demo data does not reach (2019); the demo district
 * gives every department five scores; availability is recorded per hour.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { startTestHub, STEWARD, type TestHub } from './setup/hub.js';
import { AvailabilityRecorder, hourOf } from '../src/evaluation/availability.js';
import { createAvailabilityStore } from '../src/evaluation/availabilityStore.js';
import { loadConfig } from '../src/config.js';

const DEMO = '610113198807150016';
const DAY_MS = 86_400_000;
let t: TestHub;

const EVALUATION = `query($from: Date, $to: Date) { serviceEvaluation(from: $from, to: $to) {
  department departmentName departmentNameZh operation processingTime benefit technical satisfaction score
  indicators { dimension name label labelZh value target lowerIsBetter met score } } }`;

/**
 * Housing's year 2019, by hand. Service RESIDENTIAL_BUILDING_PERMIT, legal limit L days. Five cases submitted
 * 2019-03-01: A decided after 0.25 L, B after 0.5 L, E after 0.1 L (all within the limit), C after 1.5 L (late),
 * D open. A and B were submitted through the hub: A with 3 items pre-filled (2 of them read from another
 * department) and 1 collected, B with 1 pre-filled (from another department) and 1 collected. Ratings: A 5, B 4, C 1, E 2;
 * C's follow-up answered after its due date, E's before. The case system (housing owns no source of its own)
 * answered 190 of 200 readiness checks and all 1,000 calls.
 */
async function insertFixture() {
  const [{ limit }] = await t.dbs.cases.rows<{ limit: number }>(sql`select time_limit_days as "limit" from cases.services where code = 'RESIDENTIAL_BUILDING_PERMIT'`);
  const submitted = Date.parse('2019-03-01T08:00:00Z');
  const at = (days: number) => new Date(submitted + days * DAY_MS).toISOString();
  const cases: [string, number | null][] = [['SC20190000101', 0.25], ['SC20190000102', 0.5], ['SC20190000103', 1.5], ['SC20190000104', null], ['SC20190000105', 0.1]];
  for (const [number, share] of cases) {
    await t.dbs.cases.rows(sql`
      insert into cases.cases (number, service_code, applicant_id, department, status, submitted_at, due_at, decided_at)
      values (${number}, 'RESIDENTIAL_BUILDING_PERMIT', ${DEMO}, 'housing', ${share === null ? 'IN_REVIEW' : 'APPROVED'}, ${at(0)}, ${at(limit)}, ${share === null ? null : at(share * limit)})`);
  }
  // Applications through the hub, as submitApplication summarises them: items, pre-filled, of those from another department.
  await t.dbs.cases.rows(sql`insert into cases.applications (case_number, service_code, department, submitted_at, items, prefilled, recollected, prefilled_from_others)
    values ('SC20190000101', 'RESIDENTIAL_BUILDING_PERMIT', 'housing', ${at(0)}, 4, 3, 0, 2), ('SC20190000102', 'RESIDENTIAL_BUILDING_PERMIT', 'housing', ${at(0)}, 2, 1, 0, 1)`);
  for (const [number, rating] of [['SC20190000101', 5], ['SC20190000102', 4], ['SC20190000103', 1], ['SC20190000105', 2]] as const) {
    await t.dbs.cases.rows(sql`insert into cases.case_ratings (case_number, department, service_code, rating, rated_by, rated_at) values (${number}, 'housing', 'RESIDENTIAL_BUILDING_PERMIT', ${rating}, ${DEMO}, '2019-05-01T00:00:00Z')`);
  }
  await t.dbs.cases.rows(sql`insert into cases.rating_follow_ups (case_number, department, opened_at, due_at, response, answered_by, answered_at)
    values ('SC20190000103', 'housing', '2019-05-01T00:00:00Z', '2019-05-16T00:00:00Z', 'Late answer.', 'housing-office', '2019-05-20T00:00:00Z'),
           ('SC20190000105', 'housing', '2019-05-01T00:00:00Z', '2019-05-16T00:00:00Z', 'In time.', 'housing-office', '2019-05-10T00:00:00Z')`);
  await t.dbs.hub.rows(sql`insert into hub.source_availability (source, hour, checks, checks_up, calls, calls_failed)
    values ('cases', '2019-02-01T00:00:00Z', 100, 100, 600, 0), ('cases', '2019-07-01T05:00:00Z', 100, 90, 400, 0)`);
}

beforeAll(async () => {
  // Targets chosen so that the hand computation stays in round numbers; the weights are the defaults.
  t = await startTestHub({
    RATE_LIMIT_PER_MINUTE: '1000000',
    EVALUATION_TARGETS: 'availability=1, withinLimitShare=1, onlineShare=1, sharedItemsPerApplication=2, satisfiedShare=1, followUpsInTime=1',
  });
  await insertFixture();
});
afterAll(() => t?.close());

describe('serviceEvaluation', () => {
  it("scores housing's 2019 as computed by hand", async () => {
    const res = await t.graphql(EVALUATION, { from: '2019', to: '2019-12-31' }, STEWARD);
    expect(res.body.errors).toBeUndefined();
    const housing = res.body.data.serviceEvaluation.find((d: { department: string }) => d.department === 'housing');
    const byName = Object.fromEntries(housing.indicators.map((i: { name: string }) => [i.name, i]));
    // operation: availability 190/200 = 0.95 → 95; calls answered 1000/1000 = 1 → 100 (target 0.999, capped).
    expect(byName.availability).toMatchObject({ dimension: 'operation', value: 0.95, target: 1, met: false, score: 95 });
    expect(byName.callSuccess).toMatchObject({ value: 1, target: 0.999, met: true, score: 100 });
    // processingTime: 3 of 4 decided within the limit → 75; median of 10 %, 25 %, 50 %, 150 % of the limit is 25 % ≤ 50 % → 100.
    expect(byName.withinLimitShare).toMatchObject({ dimension: 'processingTime', value: 0.75, score: 75, met: false });
    expect(byName.medianShareOfLimit).toMatchObject({ value: 0.25, target: 0.5, lowerIsBetter: true, met: true, score: 100 });
    // benefit: 4 items pre-filled over 2 online applications = 2 → 100; 3 of them from another department over 2 = 1.5 of 2 → 75.
    expect(byName.prefilledPerApplication).toMatchObject({ dimension: 'benefit', value: 2, target: 2, score: 100 });
    expect(byName.sharedItemsPerApplication).toMatchObject({ value: 1.5, target: 2, met: false, score: 75 });
    // technical: 2 of 5 applications online → 40; 4 of 6 items pre-filled = 0.6667 against 0.5 → 100.
    expect(byName.onlineShare).toMatchObject({ dimension: 'technical', value: 0.4, score: 40 });
    expect(byName.prefilledShare).toMatchObject({ value: 0.6667, target: 0.5, met: true, score: 100 });
    // satisfaction: 2 of 4 ratings are 4 or 5 → 50; 1 of 2 follow-ups due answered in time → 50.
    expect(byName.satisfiedShare).toMatchObject({ dimension: 'satisfaction', value: 0.5, score: 50 });
    expect(byName.followUpsInTime).toMatchObject({ value: 0.5, score: 50 });
    // Dimensions are the means of their indicators; the score weighs them 15/25/20/15/25:
    // (97.5·15 + 87.5·25 + 87.5·20 + 70·15 + 50·25) / 100 = 77.
    expect(housing).toMatchObject({
      departmentName: 'Housing and urban-rural development bureau',
      departmentNameZh: '住房和城乡建设局',
      operation: 97.5,
      processingTime: 87.5,
      benefit: 87.5,
      technical: 70,
      satisfaction: 50,
      score: 77,
    });
  });

  it('a department with nothing measured in the period has null scores, not zeros', async () => {
    const res = await t.graphql(EVALUATION, { from: '2019', to: '2019-12-31' }, STEWARD);
    const licensing = res.body.data.serviceEvaluation.find((d: { department: string }) => d.department === 'licensing');
    expect(licensing).toMatchObject({ operation: 97.5, processingTime: null, benefit: null, technical: null, satisfaction: null });
    const registry = res.body.data.serviceEvaluation.find((d: { department: string }) => d.department === 'registry');
    // The registry's services run on its own source (no rows in 2019) and the case system.
    expect(registry.indicators.find((i: { name: string }) => i.name === 'availability').value).toBe(0.95);
  });

  it('the weights come from configuration', async () => {
    const other = await startTestHub({ EVALUATION_TARGETS: 'availability=1, withinLimitShare=1, onlineShare=1, sharedItemsPerApplication=2, satisfiedShare=1, followUpsInTime=1', EVALUATION_WEIGHTS: 'operation=0,processingTime=0,benefit=0,technical=0,satisfaction=1' }, t.db);
    try {
      const res = await other.graphql(EVALUATION, { from: '2019', to: '2019' }, STEWARD);
      expect(res.body.data.serviceEvaluation.find((d: { department: string }) => d.department === 'housing').score).toBe(50);
    } finally {
      await other.hub.close();
    }
  });

  it('the demo district gives every department five dimension scores with their indicators', async () => {
    const res = await t.graphql(EVALUATION, {}, STEWARD);
    expect(res.body.errors).toBeUndefined();
    const departments = res.body.data.serviceEvaluation;
    expect(departments.map((d: { department: string }) => d.department)).toEqual(['registry', 'licensing', 'civil-affairs', 'service-center', 'housing', 'market-regulation']);
    for (const d of departments) {
      for (const dimension of ['operation', 'processingTime', 'benefit', 'technical', 'satisfaction', 'score']) {
        expect(d[dimension], `${d.department}.${dimension}`).toBeGreaterThanOrEqual(0);
        expect(d[dimension], `${d.department}.${dimension}`).toBeLessThanOrEqual(100);
      }
      expect(d.indicators).toHaveLength(10);
    }
  });

  it('is for stewards only, and checks its period', async () => {
    const desk = await t.graphql(EVALUATION, {}, { authorization: `Bearer ${inject('demoKeys')['licensing-desk']}` });
    expect(desk.body.errors![0].extensions).toMatchObject({ code: 'FORBIDDEN', field: 'Query.serviceEvaluation' });
    const reversed = await t.graphql(EVALUATION, { from: '2020', to: '2019' }, STEWARD);
    expect(reversed.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'from' });
  });
});

describe('serviceMetrics', () => {
  it('reports ratings, satisfaction and the mean rating per service', async () => {
    const res = await t.graphql(`{ serviceMetrics(from: "2019", to: "2019") { serviceCode ratings satisfaction averageRating } }`, {}, STEWARD);
    expect(res.body.errors).toBeUndefined();
    const permit = res.body.data.serviceMetrics.find((m: { serviceCode: string }) => m.serviceCode === 'RESIDENTIAL_BUILDING_PERMIT');
    expect(permit).toEqual({ serviceCode: 'RESIDENTIAL_BUILDING_PERMIT', ratings: 4, satisfaction: 0.5, averageRating: 3 });
    const other = res.body.data.serviceMetrics.find((m: { serviceCode: string }) => m.serviceCode === 'DRIVING_LICENSE_RENEWAL');
    expect(other).toEqual({ serviceCode: 'DRIVING_LICENSE_RENEWAL', ratings: 0, satisfaction: null, averageRating: null });
  });
});

describe('source availability', () => {
  it('readiness checks and calls are added to the hour of each source, by every instance', async () => {
    const store = createAvailabilityStore(t.dbs.hub);
    const now = () => Date.parse('2019-09-09T09:30:00Z');
    const states = { registry: 'down', licensing: 'up' } as const;
    for (let instance = 0; instance < 2; instance++) {
      const recorder = new AvailabilityRecorder(store, async () => states, (error) => { throw error; }, now);
      recorder.called('registry', false);
      recorder.called('registry', true);
      recorder.called('licensing', true);
      await recorder.sample();
    }
    const rows = await t.dbs.hub.rows<{ source: string; checks: number; checksUp: number; calls: number; callsFailed: number }>(sql`
      select source, checks, checks_up as "checksUp", calls, calls_failed as "callsFailed" from hub.source_availability where hour = ${hourOf(now())} order by source`);
    expect(rows).toEqual([
      { source: 'licensing', checks: 2, checksUp: 2, calls: 2, callsFailed: 0 },
      { source: 'registry', checks: 2, checksUp: 0, calls: 4, callsFailed: 2 },
    ]);
  });

  it('configuration refuses unknown indicators and bad weights, naming each', () => {
    expect(() => loadConfig({ EVALUATION_TARGETS: 'shoeSize=3,onlineShare=-1', EVALUATION_WEIGHTS: 'beauty=2' })).toThrow(
      /EVALUATION_TARGETS: "shoeSize" is not one of[\s\S]*EVALUATION_TARGETS: "onlineShare=-1" needs a positive number[\s\S]*EVALUATION_WEIGHTS: "beauty" is not one of/,
    );
  });
});
