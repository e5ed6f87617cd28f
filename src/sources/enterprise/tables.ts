import { bigint, char, date, index, pgSchema, text, varchar } from 'drizzle-orm/pg-core';

/** The enterprise registry of the market regulation department. Tables live in schema `enterprise`. */
export const enterprise = pgSchema('enterprise');

export const enterprises = enterprise.table(
  'enterprises',
  {
    /** Unified social credit code (GB 32100-2015). */
    id: char('id', { length: 18 }).primaryKey(),
    name: text('name').notNull(),
    /** LIMITED_LIABILITY_COMPANY, JOINT_STOCK_COMPANY, SOLE_PROPRIETORSHIP, PARTNERSHIP, INDIVIDUAL_BUSINESS, FARMERS_COOPERATIVE. */
    kind: varchar('kind', { length: 32 }).notNull(),
    /** ACTIVE, REVOKED (business license withdrawn), DEREGISTERED. */
    status: varchar('status', { length: 12 }).notNull(),
    establishedOn: date('established_on', { mode: 'string' }).notNull(),
    /**
     * Registered capital in whole yuan. An integer rather than numeric: the
     * register records subscribed capital in whole yuan, sums and comparisons
     * stay exact, and every value up to 9×10^15 yuan (far above any real
     * enterprise) is exact as a JavaScript number, so no driver hands it over
     * as text.
     */
    registeredCapital: bigint('registered_capital', { mode: 'number' }).notNull(),
    address: text('address').notNull(),
    businessScope: text('business_scope').notNull(),
    /** The legal representative's (or, for an individual business, the operator's) national ID. */
    legalRepresentativeId: char('legal_representative_id', { length: 18 }).notNull(),
    legalRepresentativeName: text('legal_representative_name').notNull(),
    contactPhone: text('contact_phone'),
    /** The registering authority's region (GB/T 2260), also positions 3–8 of the code. */
    regionCode: char('region_code', { length: 6 }).notNull(),
  },
  (t) => [index('enterprises_representative_idx').on(t.legalRepresentativeId)],
);
