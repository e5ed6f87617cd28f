import { pgSchema, text, timestamp, varchar } from 'drizzle-orm/pg-core';

/** The hub's own database: catalogues, consumers, grants, audit. Tables live in schema `hub`. */
export const hub = pgSchema('hub');

export const purposes = hub.table('purposes', {
  code: varchar('code', { length: 48 }).primaryKey(),
  name: text('name').notNull(),
  description: text('description').notNull(),
  legalBasis: text('legal_basis').notNull(),
});

export const consumers = hub.table('consumers', {
  id: varchar('id', { length: 64 }).primaryKey(),
  name: text('name').notNull(),
  department: varchar('department', { length: 32 }).notNull(),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
  createdBy: text('created_by').notNull(),
});
