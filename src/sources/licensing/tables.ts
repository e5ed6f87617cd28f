import { sql } from 'drizzle-orm';
import { char, check, date, index, pgSchema, text, varchar } from 'drizzle-orm/pg-core';

/** The licensing bureau's database. Tables live in schema `licensing`. */
export const licensing = pgSchema('licensing');

export const licenses = licensing.table(
  'licenses',
  {
    number: varchar('number', { length: 24 }).primaryKey(),
    /** The citizen holding the license (national ID), or null for an enterprise's license. */
    holderId: char('holder_id', { length: 18 }),
    /** The enterprise holding the license (unified social credit code), or null for a citizen's license. */
    enterpriseId: char('enterprise_id', { length: 18 }),
    kind: varchar('kind', { length: 24 }).notNull(),
    status: varchar('status', { length: 12 }).notNull(),
    issuedOn: date('issued_on', { mode: 'string' }).notNull(),
    expiresOn: date('expires_on', { mode: 'string' }),
    issuer: text('issuer').notNull(),
  },
  (t) => [
    index('licenses_holder_idx').on(t.holderId),
    index('licenses_enterprise_idx').on(t.enterpriseId),
    // SPEC §4: a license is held by a citizen or by an enterprise, exactly one of the two.
    check('licenses_one_holder', sql`(${t.holderId} is null) <> (${t.enterpriseId} is null)`),
  ],
);
