/**
 * The demo district's ratings and follow-ups (SPEC §6a, §9), checked in a
 * database seeded with the 5,000 citizens `npm start` seeds, and the demo
 * availability history of the department sources in the hub's database.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestDatabases, type TestDatabases } from './setup/hub.js';
import { DEMO, REFERENCE_DATE, generateDemoData } from '../src/seed/generate.js';
import { seedDemo } from '../src/seed/load.js';
import { seedAvailabilityHistory } from '../src/seed/availability.js';
import { DEMO_CONSUMERS } from '../src/hub/demo.js';
import { DEPARTMENT_SOURCES } from '../src/sources/index.js';

/** The size `npm start` seeds (SPEC §9). */
const DEMO_CITIZENS = 5_000;

let db: TestDatabases;

beforeAll(async () => {
  db = await createTestDatabases();
  // Over the template's smaller seed: ratings already there are replaced (TRUNCATE passes their written-once trigger).
  await seedDemo(db.dbs, { citizens: DEMO_CITIZENS, seed: 1 });
});
afterAll(() => db?.drop());

const one = async <T>(query: ReturnType<typeof sql>) => (await db.dbs.cases.rows<T>(query))[0];

describe('ratings of the demo district', () => {
  it('are the same from the same seed, and others from another seed', () => {
    const opinions = (seed: number) => [...generateDemoData({ citizens: 2000, seed })].map(({ ratings, followUps }) => ({ ratings, followUps }));
    const first = opinions(7);
    expect(opinions(7)).toEqual(first);
    expect(first.flatMap((c) => c.followUps).length).toBeGreaterThan(0);
    expect(opinions(8).flatMap((c) => c.ratings).map((r) => r.rating)).not.toEqual(first.flatMap((c) => c.ratings).map((r) => r.rating));
  });

  it('cover about half of the decided cases and none of the undecided', async () => {
    const { decided, rated, undecidedRated } = await one<{ decided: number; rated: number; undecidedRated: number }>(sql`
      select count(*) filter (where c.decided_at is not null)::int as decided,
        count(r.case_number)::int as rated,
        count(r.case_number) filter (where c.decided_at is null)::int as "undecidedRated"
      from cases.cases c left join cases.case_ratings r on r.case_number = c.number`);
    expect(undecidedRated).toBe(0);
    expect(rated / decided).toBeGreaterThan(0.35);
    expect(rated / decided).toBeLessThan(0.65);
    const [orphans] = await db.dbs.cases.rows<{ n: number }>(sql`select count(*)::int as n from cases.case_ratings r where not exists (select 1 from cases.cases c where c.number = r.case_number)`);
    expect(orphans.n).toBe(0);
  });

  it('are worse on average for cases decided after their legal time limit', async () => {
    const { onTime, late } = await one<{ onTime: number; late: number }>(sql`
      select avg(r.rating) filter (where c.decided_at <= c.due_at)::float8 as "onTime",
        avg(r.rating) filter (where c.decided_at > c.due_at)::float8 as late
      from cases.case_ratings r join cases.cases c on c.number = r.case_number`);
    expect(onTime).toBeGreaterThan(3.8);
    expect(late).toBeLessThan(onTime - 1);
  });

  it('are given by the applicant, hours to days after the decision and before the seed\'s present; some with a comment', async () => {
    const misfits = await db.dbs.cases.rows(sql`
      select r.case_number from cases.case_ratings r join cases.cases c on c.number = r.case_number
      where r.rated_by <> c.applicant_id or r.rated_at <= c.decided_at or r.rated_at > c.decided_at + interval '6 days'
        or r.rated_at >= ${REFERENCE_DATE}::timestamptz or r.rating not between 1 and 5`);
    expect(misfits).toEqual([]);
    const { share } = await one<{ share: number }>(sql`select (count(comment)::float8 / count(*)) as share from cases.case_ratings`);
    expect(share).toBeGreaterThan(0.25);
    expect(share).toBeLessThan(0.6);
  });
});

describe('follow-ups of the demo district', () => {
  it('exist exactly once for every rating of 1 or 2 and for no other, for the deciding department, due 15 days after the rating', async () => {
    const wrong = await db.dbs.cases.rows(sql`
      select r.case_number, r.rating, count(f.id)::int as n from cases.case_ratings r left join cases.rating_follow_ups f on f.case_number = r.case_number
      group by r.case_number, r.rating having count(f.id) <> case when r.rating <= 2 then 1 else 0 end`);
    expect(wrong).toEqual([]);
    const misfits = await db.dbs.cases.rows(sql`
      select f.case_number from cases.rating_follow_ups f
      left join cases.case_ratings r on r.case_number = f.case_number left join cases.cases c on c.number = f.case_number
      where r.case_number is null or f.department is distinct from c.department or f.opened_at <> r.rated_at or f.due_at <> f.opened_at + interval '15 days'`);
    expect(misfits).toEqual([]);
  });

  it('are answered, overdue and open relative to the seed\'s present, some answered after their due date', async () => {
    const states = await one<{ answered: number; overdue: number; open: number; late: number; early: number }>(sql`
      select count(*) filter (where answered_at is not null)::int as answered,
        count(*) filter (where answered_at is null and due_at < ${REFERENCE_DATE}::timestamptz)::int as overdue,
        count(*) filter (where answered_at is null and due_at >= ${REFERENCE_DATE}::timestamptz)::int as open,
        count(*) filter (where answered_at > due_at)::int as late,
        count(*) filter (where answered_at <= opened_at or answered_at >= ${REFERENCE_DATE}::timestamptz)::int as early
      from cases.rating_follow_ups`);
    expect(states).toMatchObject({ early: 0 });
    expect(states.answered).toBeGreaterThan(states.overdue);
    expect(states.overdue).toBeGreaterThan(0);
    expect(states.open).toBeGreaterThan(0);
    expect(states.late).toBeGreaterThan(0);
    expect(states.late).toBeLessThan(states.answered / 2);
  });

  it("are answered by the department's demo consumer, or an office named after a department without one", async () => {
    const answerers = await db.dbs.cases.rows<{ department: string; answered_by: string }>(
      sql`select distinct department, answered_by from cases.rating_follow_ups where answered_at is not null order by 1`,
    );
    const consumerOf = new Map(DEMO_CONSUMERS.filter((c) => c.role === 'consumer' && !c.portal).map((c) => [c.department as string, c.id as string]));
    expect(answerers.length).toBeGreaterThan(3);
    for (const { department, answered_by } of answerers) expect(answered_by).toBe(consumerOf.get(department) ?? `${department}-office`);
    expect(answerers.map((a) => a.answered_by)).toEqual(expect.arrayContaining(['licensing-desk', 'benefits-office', 'market-desk']));
  });
});

describe('the demo citizen', () => {
  it('has a decided case not rated, an open case, a rated case whose follow-up is answered, a license and an active enterprise', async () => {
    const cases = await db.dbs.cases.rows<{ number: string; decided: boolean; rating: number | null; response: string | null }>(sql`
      select c.number, c.decided_at is not null as decided, r.rating, f.response
      from cases.cases c left join cases.case_ratings r on r.case_number = c.number left join cases.rating_follow_ups f on f.case_number = c.number
      where c.applicant_id = ${DEMO.citizenId} order by c.number`);
    expect(cases.find((c) => c.number === DEMO.unratedCase)).toMatchObject({ decided: true, rating: null });
    expect(cases.filter((c) => !c.decided).map((c) => c.number)).toContain(DEMO.openLicensingCase);
    expect(cases.find((c) => c.number === DEMO.ratedCaseWithAnswer)).toMatchObject({ decided: true, rating: 2, response: expect.any(String) });
    const [license] = await db.dbs.licensing.rows(sql`select number from licensing.licenses where holder_id = ${DEMO.citizenId} and status = 'ACTIVE'`);
    expect(license).toBeDefined();
    const [enterprise] = await db.dbs.enterprise.rows(sql`select id from enterprise.enterprises where legal_representative_id = ${DEMO.citizenId} and status = 'ACTIVE'`);
    expect(enterprise).toBeDefined();
  });
});

describe('the demo availability history', () => {
  const NOW = new Date('2026-11-01T10:25:00Z');
  const HOURS = 365 * 24;
  const perSource = () =>
    db.dbs.hub.rows<{ source: string; hours: number; first: string; last: string; checks: number; up: number; calls: number; failed: number; down_hours: number }>(sql`
      select source, count(*)::int as hours, min(hour) as first, max(hour) as last, sum(checks)::int as checks, sum(checks_up)::int as up,
        sum(calls)::int as calls, sum(calls_failed)::int as failed, count(*) filter (where checks_up < checks / 2)::int as down_hours
      from hub.source_availability group by source order by source`);

  it('holds every hour of the past year for every department source, up to the current hour excluded', async () => {
    // This file's own copy: whatever history the template holds goes, so the year is the seed's alone.
    await db.dbs.hub.rows(sql`delete from hub.source_availability`);
    await seedAvailabilityHistory(db.dbs.hub, NOW);
    const rows = await perSource();
    expect(rows.map((r) => r.source)).toEqual(DEPARTMENT_SOURCES.map((s) => s.name).sort());
    for (const row of rows) {
      expect(row).toMatchObject({ hours: HOURS, checks: HOURS * 60 });
      expect(new Date(row.first).toISOString()).toBe(new Date(Date.parse('2026-11-01T10:00:00Z') - HOURS * 3_600_000).toISOString());
      expect(new Date(row.last).toISOString()).toBe('2026-11-01T09:00:00.000Z');
      // Nearly always up, with a few outages; a few hundred calls an hour in office hours, a tiny share failed.
      expect(row.up / row.checks).toBeGreaterThan(0.995);
      expect(row.down_hours).toBeGreaterThan(0);
      expect(row.down_hours).toBeLessThan(15);
      expect(row.failed / row.calls).toBeLessThan(0.01);
    }
    // Each department fares differently.
    expect(new Set(rows.map((r) => r.up)).size).toBe(rows.length);
  });

  it('adds only the hours since when run again, and keeps the rows already there', async () => {
    const before = await perSource();
    await seedAvailabilityHistory(db.dbs.hub, NOW);
    expect(await perSource()).toEqual(before);
    await seedAvailabilityHistory(db.dbs.hub, new Date(NOW.getTime() + 3_600_000));
    const after = await perSource();
    expect(after.map((r) => r.hours)).toEqual(before.map((r) => r.hours + 1));
    expect(after.map((r) => r.first)).toEqual(before.map((r) => r.first));
  });
});
