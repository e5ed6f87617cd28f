import { char, date, index, pgSchema, text, varchar } from 'drizzle-orm/pg-core';

/** The licensing bureau's database. Tables live in schema `licensing`. */
export const licensing = pgSchema('licensing');

export const licenses = licensing.table(
  'licenses',
  {
    number: varchar('number', { length: 24 }).primaryKey(),
    holderId: char('holder_id', { length: 18 }).notNull(),
    kind: varchar('kind', { length: 24 }).notNull(),
    status: varchar('status', { length: 12 }).notNull(),
    issuedOn: date('issued_on', { mode: 'string' }).notNull(),
    expiresOn: date('expires_on', { mode: 'string' }),
    issuer: text('issuer').notNull(),
  },
  (t) => [index('licenses_holder_idx').on(t.holderId)],
);
