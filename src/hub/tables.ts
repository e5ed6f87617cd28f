import { sql } from 'drizzle-orm';
import { bigint, boolean, char, check, date, index, integer, pgSchema, primaryKey, smallint, text, timestamp, uniqueIndex, uuid, varchar } from 'drizzle-orm/pg-core';

/** The hub's own database: catalogues, consumers, keys, grants, registered operations, access requests, audit. Tables live in schema `hub`. */
export const hub = pgSchema('hub');

export const purposes = hub.table('purposes', {
  code: varchar('code', { length: 48 }).primaryKey(),
  name: text('name').notNull(),
  /** The official name in Simplified Chinese; reference data upserted on every start fills it. */
  nameZh: text('name_zh').notNull().default(''),
  description: text('description').notNull(),
  legalBasis: text('legal_basis').notNull(),
});

/** A registered application of one department (SPEC §3). */
export const consumers = hub.table(
  'consumers',
  {
    id: varchar('id', { length: 64 }).primaryKey(),
    name: text('name').notNull(),
    department: varchar('department', { length: 32 }).notNull(),
    /** `consumer` reads through grants; `steward` also manages policy. */
    role: varchar('role', { length: 16 }).notNull().default('consumer'),
    /** A portal may sign citizens in: a citizen JWT must name one (SPEC §3). */
    portal: boolean('portal').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
    /** Who registered it: the actor of the credential (SPEC §3). */
    createdBy: text('created_by').notNull(),
    /** The officer the registering steward declared (X-On-Behalf-Of), if any. */
    createdByOfficer: text('created_by_officer'),
    /** When true, the consumer may run only its registered operations (SPEC §8); anything else is OPERATION_NOT_REGISTERED. */
    registeredOperationsOnly: boolean('registered_operations_only').notNull().default(false),
    /** Who last set registeredOperationsOnly (the credential's actor, SPEC §3), the officer declared beside it, and when. */
    registeredOperationsOnlySetBy: text('registered_operations_only_set_by'),
    registeredOperationsOnlySetByOfficer: text('registered_operations_only_set_by_officer'),
    registeredOperationsOnlySetAt: timestamp('registered_operations_only_set_at', { withTimezone: true, mode: 'string' }),
  },
  (t) => [check('consumers_role_check', sql`${t.role} in ('consumer', 'steward')`)],
);

/** API keys: only a SHA-256 hash of the key is kept; the key itself is shown once. */
export const apiKeys = hub.table(
  'api_keys',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    consumerId: varchar('consumer_id', { length: 64 })
      .notNull()
      .references(() => consumers.id),
    hash: varchar('hash', { length: 64 }).notNull(),
    /** The first characters of the key, so a steward can tell keys apart. */
    prefix: varchar('prefix', { length: 12 }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
    /** Who issued it (the credential's actor) and the officer declared beside it. */
    createdBy: text('created_by').notNull(),
    createdByOfficer: text('created_by_officer'),
    revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'string' }),
    revokedBy: text('revoked_by'),
    revokedByOfficer: text('revoked_by_officer'),
  },
  (t) => [uniqueIndex('api_keys_hash_idx').on(t.hash), index('api_keys_consumer_idx').on(t.consumerId)],
);

/** A grant lets one consumer read one field for a set of purposes (SPEC §5). */
export const grants = hub.table(
  'grants',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    consumerId: varchar('consumer_id', { length: 64 })
      .notNull()
      .references(() => consumers.id),
    field: varchar('field', { length: 64 }).notNull(),
    purposes: text('purposes').array().notNull(),
    condition: varchar('condition', { length: 16 }).notNull().default('NONE'),
    mask: varchar('mask', { length: 16 }).notNull().default('NONE'),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'string' }),
    /** Who granted it: the actor of the credential (SPEC §3), never a declared officer. */
    grantedBy: text('granted_by').notNull(),
    /** The officer the granting steward declared (X-On-Behalf-Of, or a JWT's sub), if any. */
    officer: text('officer'),
    grantedAt: timestamp('granted_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
    /** The access request this grant came from, if any. */
    requestId: uuid('request_id'),
    revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'string' }),
    revokedBy: text('revoked_by'),
    revokedByOfficer: text('revoked_by_officer'),
  },
  (t) => [
    index('grants_consumer_idx').on(t.consumerId),
    check('grants_condition_check', sql`${t.condition} in ('NONE', 'ACTIVE_CASE')`),
    check('grants_mask_check', sql`${t.mask} in ('NONE', 'YEAR_ONLY', 'PARTIAL', 'PRESENCE')`),
  ],
);

/**
 * An operation a steward registered for one consumer from a persisted-query
 * manifest (SPEC §8): run by its SHA-256 (`hash`, of `document` exactly as
 * written), by that consumer only. `fields` are the fields it reads
 * (`Type.field`, fragments expanded), for the steward to review.
 * A removed operation keeps its row, with who removed it and when, as the
 * history of what the consumer could run; only rows not removed are in force,
 * and at most one per consumer and hash (registering it again after a removal
 * adds a new row).
 */
export const registeredOperations = hub.table(
  'registered_operations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    consumerId: varchar('consumer_id', { length: 64 })
      .notNull()
      .references(() => consumers.id),
    /** The operation's name, as in the manifest and the document. */
    name: text('name'),
    hash: char('hash', { length: 64 }).notNull(),
    document: text('document').notNull(),
    fields: text('fields').array().notNull(),
    registeredAt: timestamp('registered_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
    /** Who registered it: the steward's credential (SPEC §3), and the officer declared beside it. */
    registeredBy: text('registered_by').notNull(),
    registeredByOfficer: text('registered_by_officer'),
    /** When a steward withdrew it (null while in force), who (the credential's actor) and the officer declared beside it. */
    removedAt: timestamp('removed_at', { withTimezone: true, mode: 'string' }),
    removedBy: text('removed_by'),
    removedByOfficer: text('removed_by_officer'),
  },
  (t) => [
    uniqueIndex('registered_operations_in_force_idx')
      .on(t.consumerId, t.hash)
      .where(sql`${t.removedAt} is null`),
    index('registered_operations_consumer_idx').on(t.consumerId, t.registeredAt),
  ],
);

/** A consumer's request for fields, in place of the inter-office letter (SPEC §5). */
export const accessRequests = hub.table(
  'access_requests',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    consumerId: varchar('consumer_id', { length: 64 })
      .notNull()
      .references(() => consumers.id),
    fields: text('fields').array().notNull(),
    purpose: varchar('purpose', { length: 48 }).notNull(),
    justification: text('justification').notNull(),
    status: varchar('status', { length: 16 }).notNull().default('PENDING'),
    /** Who asked and who decided: actors of credentials; the declared officers beside them. */
    requestedBy: text('requested_by').notNull(),
    requestedByOfficer: text('requested_by_officer'),
    requestedAt: timestamp('requested_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
    decidedBy: text('decided_by'),
    decidedByOfficer: text('decided_by_officer'),
    decidedAt: timestamp('decided_at', { withTimezone: true, mode: 'string' }),
    note: text('note'),
  },
  (t) => [index('access_requests_status_idx').on(t.status, t.requestedAt), check('access_requests_status_check', sql`${t.status} in ('PENDING', 'APPROVED', 'REJECTED')`)],
);

/**
 * The audit log (SPEC §6): one record per data subject (citizen or enterprise) read per request. Append-only
 * (a trigger in the migrations rejects UPDATE, DELETE and TRUNCATE) and
 * hash-chained: ids are contiguous, each record holds the hash of the one
 * before, and its own hash covers its content and that previous hash.
 * Field values are never recorded, only field names.
 */
export const auditLog = hub.table(
  'audit_log',
  {
    id: bigint('id', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true, mode: 'string' }).notNull(),
    requestId: varchar('request_id', { length: 64 }).notNull(),
    consumerId: varchar('consumer_id', { length: 64 }),
    department: varchar('department', { length: 32 }),
    /** Who read: the credential's actor, and its role (SPEC §3, §6). */
    actor: text('actor').notNull(),
    role: text('role').notNull(),
    officer: varchar('officer', { length: 128 }),
    purpose: varchar('purpose', { length: 48 }),
    caseRef: varchar('case_ref', { length: 64 }),
    operationName: varchar('operation_name', { length: 128 }),
    operationHash: char('operation_hash', { length: 64 }).notNull(),
    /** Whose data was read (SPEC §6): a citizen or an enterprise, by national ID or credit code. */
    subjectType: varchar('subject_type', { length: 10 }).notNull(),
    subjectId: char('subject_id', { length: 18 }).notNull(),
    /** The subject's national ID when the subject is a citizen, else null. */
    citizenId: char('citizen_id', { length: 18 }),
    fieldsReturned: text('fields_returned').array().notNull(),
    fieldsDenied: text('fields_denied').array().notNull(),
    outcome: varchar('outcome', { length: 8 }).notNull(),
    /** The service an application was pre-filled or submitted for, when the read served one. */
    serviceCode: varchar('service_code', { length: 32 }),
    /** How `hash` was computed (src/audit/chain.ts); records written before actor and role were chained are version 1. */
    chainVersion: smallint('chain_version').notNull(),
    prevHash: char('prev_hash', { length: 64 }).notNull(),
    hash: char('hash', { length: 64 }).notNull(),
  },
  // Each index is written for every record (issue 13: the audit's per-request cost). A citizen's records are
  // found through the subject index (the store asks by subject for a citizen ID); only records that served an
  // application are in the service index.
  (t) => [
    index('audit_log_subject_idx').on(t.subjectType, t.subjectId, t.id),
    index('audit_log_consumer_idx').on(t.consumerId, t.id),
    index('audit_log_at_idx').on(t.at),
    index('audit_log_request_idx').on(t.requestId),
    index('audit_log_service_idx').on(t.serviceCode, t.at).where(sql`${t.serviceCode} is not null`),
    check('audit_log_role_check', sql`${t.role} in ('consumer', 'steward', 'citizen')`),
    check('audit_log_subject_check', sql`${t.subjectType} in ('CITIZEN', 'ENTERPRISE') and (${t.citizenId} is null) = (${t.subjectType} = 'ENTERPRISE')`),
  ],
);

/**
 * A citizen's report of a read they do not recognise (SPEC §4, issue 15), and a steward's resolution.
 * Reported once and resolved once: a trigger in the migrations rejects every other change, and deletion,
 * so what the citizen was told stays what was recorded.
 */
export const accessReports = hub.table(
  'access_reports',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** The audit record reported. */
    recordId: bigint('record_id', { mode: 'number' }).notNull(),
    /** Whose data the record is about, copied from it: what `myAccessReports` lists by. */
    subjectType: varchar('subject_type', { length: 10 }).notNull(),
    subjectId: char('subject_id', { length: 18 }).notNull(),
    /** The citizen who reported it (the subject, or the enterprise's legal representative). */
    reportedBy: char('reported_by', { length: 18 }).notNull(),
    note: text('note').notNull(),
    reportedAt: timestamp('reported_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
    resolution: text('resolution'),
    /** The steward's credential actor, and the officer declared beside it (SPEC §3). */
    resolvedBy: text('resolved_by'),
    resolvedByOfficer: text('resolved_by_officer'),
    resolvedAt: timestamp('resolved_at', { withTimezone: true, mode: 'string' }),
  },
  (t) => [
    uniqueIndex('access_reports_record_reporter_idx').on(t.recordId, t.reportedBy),
    index('access_reports_reporter_idx').on(t.reportedBy, t.reportedAt),
    index('access_reports_open_idx').on(t.reportedAt).where(sql`${t.resolvedAt} is null`),
    check('access_reports_resolved_check', sql`(${t.resolution} is null) = (${t.resolvedAt} is null) and (${t.resolvedBy} is null) = (${t.resolvedAt} is null)`),
  ],
);

/**
 * Reads per consumer, field and purpose per UTC day, rolled up from the audit log (issue 15 §5: grant review
 * without scanning the whole log per request). `audit_rollups` says how far each rollup has read.
 */
export const grantUsage = hub.table(
  'grant_usage',
  {
    consumerId: varchar('consumer_id', { length: 64 }).notNull(),
    field: varchar('field', { length: 64 }).notNull(),
    purpose: varchar('purpose', { length: 48 }).notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    reads: integer('reads').notNull(),
    lastAt: timestamp('last_at', { withTimezone: true, mode: 'string' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.consumerId, t.field, t.purpose, t.day] })],
);

/**
 * The citizens each consumer read per UTC day without naming a case (no X-Case-Ref), rolled up from the audit
 * log: how many distinct citizens a consumer read without an ACTIVE_CASE basis (issue 15 §5 review flags).
 */
export const caselessReads = hub.table(
  'caseless_reads',
  {
    consumerId: varchar('consumer_id', { length: 64 }).notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    citizenId: char('citizen_id', { length: 18 }).notNull(),
  },
  // Day first: the review flags count the last days' rows of every consumer.
  (t) => [primaryKey({ columns: [t.day, t.consumerId, t.citizenId] })],
);

/** How far a rollup of the audit log has read: every record with an id up to `lastId` is counted. */
export const auditRollups = hub.table('audit_rollups', {
  name: varchar('name', { length: 32 }).primaryKey(),
  lastId: bigint('last_id', { mode: 'number' }).notNull(),
  rolledAt: timestamp('rolled_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
});

/**
 * Points of the audit chain verified intact (issue 15): `verifyAudit` walks on from the latest one instead of
 * from the first record. Each is an HMAC over the record's id, hash and chain version under AUDIT_CHECKPOINT_KEY,
 * a key no database holds: someone who rewrites the chain and its checkpoints without the key is found out.
 */
export const auditCheckpoints = hub.table('audit_checkpoints', {
  recordId: bigint('record_id', { mode: 'number' }).primaryKey(),
  hash: char('hash', { length: 64 }).notNull(),
  chainVersion: smallint('chain_version').notNull(),
  mac: char('mac', { length: 64 }).notNull(),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
  /** Records checked to reach it (from the checkpoint before it, or from the first record). */
  checked: bigint('checked', { mode: 'number' }).notNull(),
});

/**
 * Each department source's availability per hour (issue 16, the evaluation's operation dimension): readiness
 * checks the hub ran and how many found the source up, and the calls requests made and how many failed as
 * unavailable (timeouts, refused connections, an open breaker). Every instance adds its counts to the hour's
 * row, so a year is 8,760 rows per source, whatever the traffic.
 */
export const sourceAvailability = hub.table(
  'source_availability',
  {
    source: varchar('source', { length: 32 }).notNull(),
    hour: timestamp('hour', { withTimezone: true, mode: 'string' }).notNull(),
    checks: integer('checks').notNull(),
    checksUp: integer('checks_up').notNull(),
    calls: integer('calls').notNull(),
    callsFailed: integer('calls_failed').notNull(),
  },
  (t) => [primaryKey({ columns: [t.source, t.hour] })],
);
