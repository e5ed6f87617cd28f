import { sql } from 'drizzle-orm';
import { bigserial, boolean, char, check, index, integer, pgSchema, primaryKey, smallint, text, timestamp, uuid, varchar } from 'drizzle-orm/pg-core';

/** The service center's database. Tables live in schema `cases`. */
export const cases = pgSchema('cases');

export const services = cases.table('services', {
  code: varchar('code', { length: 32 }).primaryKey(),
  name: text('name').notNull(),
  /** The official name in Simplified Chinese; reference data upserted on every start fills it. */
  nameZh: text('name_zh').notNull().default(''),
  theme: varchar('theme', { length: 32 }).notNull(),
  department: varchar('department', { length: 32 }).notNull(),
  timeLimitDays: integer('time_limit_days').notNull(),
  description: text('description').notNull(),
  /** Who applies (SPEC §4): PERSON (a citizen for themself) or ENTERPRISE (a citizen for an enterprise they legally represent). */
  serviceObject: varchar('service_object', { length: 12 }).notNull().default('PERSON'),
});

export const serviceDataItems = cases.table(
  'service_data_items',
  {
    serviceCode: varchar('service_code', { length: 32 }).notNull(),
    key: varchar('key', { length: 48 }).notNull(),
    position: integer('position').notNull(),
    label: text('label').notNull(),
    labelZh: text('label_zh').notNull().default(''),
    required: boolean('required').notNull(),
    /** The graph field that holds the item (`Citizen.address`), or null when it must be collected. */
    field: varchar('field', { length: 64 }),
    /** For `License.*` items: which kind of license. */
    licenseKind: varchar('license_kind', { length: 24 }),
  },
  (t) => [primaryKey({ columns: [t.serviceCode, t.key] })],
);

export const serviceCases = cases.table(
  'cases',
  {
    number: varchar('number', { length: 24 }).primaryKey(),
    serviceCode: varchar('service_code', { length: 32 }).notNull(),
    /** The citizen who applied (for an enterprise: its legal representative). */
    applicantId: char('applicant_id', { length: 18 }).notNull(),
    /** The enterprise the application was made for (unified social credit code), or null for a personal service. */
    enterpriseId: char('enterprise_id', { length: 18 }),
    department: varchar('department', { length: 32 }).notNull(),
    status: varchar('status', { length: 12 }).notNull(),
    submittedAt: timestamp('submitted_at', { withTimezone: true, mode: 'string' }).notNull(),
    dueAt: timestamp('due_at', { withTimezone: true, mode: 'string' }).notNull(),
    decidedAt: timestamp('decided_at', { withTimezone: true, mode: 'string' }),
  },
  (t) => [
    index('cases_applicant_idx').on(t.applicantId),
    index('cases_enterprise_idx').on(t.enterpriseId),
    index('cases_submitted_idx').on(t.submittedAt, t.number),
    index('cases_service_submitted_idx').on(t.serviceCode, t.submittedAt),
  ],
);

export const caseEvents = cases.table(
  'case_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    caseNumber: varchar('case_number', { length: 24 }).notNull(),
    at: timestamp('at', { withTimezone: true, mode: 'string' }).notNull(),
    status: varchar('status', { length: 12 }).notNull(),
    actor: text('actor').notNull(),
    note: text('note'),
  },
  (t) => [index('case_events_case_idx').on(t.caseNumber, t.at)],
);

/**
 * What an application's items were when it was submitted through the hub:
 * PREFILLED from a department's data (no value kept here: the department
 * reads it through the hub under its own grants), COLLECTED from the citizen,
 * or RECOLLECTED (supplied although the hub already held it).
 */
export const caseItems = cases.table(
  'case_items',
  {
    caseNumber: varchar('case_number', { length: 24 }).notNull(),
    key: varchar('key', { length: 48 }).notNull(),
    origin: varchar('origin', { length: 12 }).notNull(),
    /** The department the pre-filled value came from. */
    source: varchar('source', { length: 32 }),
    /** The value the citizen supplied (COLLECTED, RECOLLECTED). */
    value: text('value'),
  },
  (t) => [primaryKey({ columns: [t.caseNumber, t.key] })],
);

/**
 * A citizen's rating of a decided case (SPEC §6a, issue 16): one per case,
 * written once. A trigger refuses updates and deletes (migration 0004); a
 * re-seed replaces the whole demo world with TRUNCATE.
 */
export const caseRatings = cases.table(
  'case_ratings',
  {
    caseNumber: varchar('case_number', { length: 24 }).primaryKey(),
    /** The case's deciding department and service, kept with the rating so that evaluations count ratings without joining the cases. */
    department: varchar('department', { length: 32 }).notNull(),
    serviceCode: varchar('service_code', { length: 32 }).notNull(),
    rating: smallint('rating').notNull(),
    comment: text('comment'),
    /** The citizen who rated (the applicant, or the enterprise's legal representative). */
    ratedBy: char('rated_by', { length: 18 }).notNull(),
    ratedAt: timestamp('rated_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
  },
  (t) => [check('case_ratings_rating_check', sql`${t.rating} between 1 and 5`), index('case_ratings_rated_idx').on(t.ratedAt, t.department)],
);

/**
 * The deciding department's follow-up of a rating of 1 or 2: opened with the
 * rating, answered once (a trigger refuses any other change, migration 0004).
 */
export const ratingFollowUps = cases.table(
  'rating_follow_ups',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    caseNumber: varchar('case_number', { length: 24 }).notNull().unique('rating_follow_ups_case_key'),
    department: varchar('department', { length: 32 }).notNull(),
    openedAt: timestamp('opened_at', { withTimezone: true, mode: 'string' }).notNull(),
    dueAt: timestamp('due_at', { withTimezone: true, mode: 'string' }).notNull(),
    response: text('response'),
    answeredBy: text('answered_by'),
    answeredByOfficer: text('answered_by_officer'),
    answeredAt: timestamp('answered_at', { withTimezone: true, mode: 'string' }),
  },
  (t) => [
    index('rating_follow_ups_department_idx').on(t.department, t.dueAt),
    index('rating_follow_ups_opened_idx').on(t.openedAt),
    check('rating_follow_ups_answer_check', sql`(${t.response} is null) = (${t.answeredAt} is null) and (${t.answeredBy} is null) = (${t.answeredAt} is null)`),
  ],
);

/**
 * One row per application submitted through the hub, written with the case (issue 16): how many items its
 * form had, how many the hub pre-filled, and how many of those came from another department than the deciding
 * one (a letter between offices saved each). The evaluation and serviceMetrics read these instead of joining
 * every item to its case (9 s on a million citizens).
 */
export const applications = cases.table(
  'applications',
  {
    caseNumber: varchar('case_number', { length: 24 }).primaryKey(),
    serviceCode: varchar('service_code', { length: 32 }).notNull(),
    department: varchar('department', { length: 32 }).notNull(),
    submittedAt: timestamp('submitted_at', { withTimezone: true, mode: 'string' }).notNull(),
    /** Items the application holds: pre-filled, supplied although held (re-collected), and the rest collected. */
    items: smallint('items').notNull(),
    prefilled: smallint('prefilled').notNull(),
    recollected: smallint('recollected').notNull(),
    prefilledFromOthers: smallint('prefilled_from_others').notNull(),
  },
  (t) => [index('applications_submitted_idx').on(t.submittedAt, t.department)],
);
