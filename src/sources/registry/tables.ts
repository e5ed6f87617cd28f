import { char, date, index, pgSchema, text, varchar } from 'drizzle-orm/pg-core';

/** The civil registry's database. Tables live in schema `registry` in every deployment. */
export const registry = pgSchema('registry');

export const households = registry.table('households', {
  id: varchar('id', { length: 20 }).primaryKey(),
  regionCode: char('region_code', { length: 6 }).notNull(),
  district: text('district').notNull(),
  street: text('street').notNull(),
  community: text('community').notNull(),
  line: text('line').notNull(),
  postalCode: char('postal_code', { length: 6 }).notNull(),
  headId: char('head_id', { length: 18 }),
});

export const citizens = registry.table(
  'citizens',
  {
    /** 18-character resident identity number (GB 11643-1999). */
    id: char('id', { length: 18 }).primaryKey(),
    name: text('name').notNull(),
    birthDate: date('birth_date', { mode: 'string' }).notNull(),
    sex: char('sex', { length: 1 }).notNull(),
    householdId: varchar('household_id', { length: 20 }).notNull(),
    relation: text('relation').notNull(),
    phone: text('phone'),
    email: text('email'),
    status: varchar('status', { length: 8 }).notNull(),
    diedOn: date('died_on', { mode: 'string' }),
  },
  (t) => [index('citizens_household_idx').on(t.householdId)],
);
