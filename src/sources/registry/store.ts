import { eq, sql } from 'drizzle-orm';
import type { Database } from '../../db/database.js';
import { citizens, households } from './tables.js';

/** A citizen as the graph sees it; field names match schema/registry.graphql. */
export interface CitizenRecord {
  id: string;
  name: string;
  birthDate: string;
  sex: 'FEMALE' | 'MALE';
  status: 'ALIVE' | 'DECEASED';
  phone: string | null;
  email: string | null;
  householdId: string;
  relation: string;
  address: AddressRecord;
}

export interface AddressRecord {
  regionCode: string;
  district: string;
  street: string;
  community: string;
  line: string;
  postalCode: string;
  formatted: string;
}

export interface HouseholdRecord {
  id: string;
  address: AddressRecord;
}

const addressColumns = {
  regionCode: households.regionCode,
  district: households.district,
  street: households.street,
  community: households.community,
  line: households.line,
  postalCode: households.postalCode,
};

type AddressRow = { regionCode: string; district: string; street: string; community: string; line: string; postalCode: string };

function toAddress(row: AddressRow): AddressRecord {
  return { ...row, formatted: `${row.district}${row.street}${row.community}${row.line}` };
}

type CitizenRow = typeof citizens.$inferSelect & AddressRow;

function toCitizen(row: CitizenRow): CitizenRecord {
  return {
    id: row.id,
    name: row.name,
    birthDate: row.birthDate,
    sex: row.sex === 'F' ? 'FEMALE' : 'MALE',
    status: row.status === 'DECEASED' ? 'DECEASED' : 'ALIVE',
    phone: row.phone,
    email: row.email,
    householdId: row.householdId,
    relation: row.relation,
    address: toAddress(row),
  };
}

/** SQL of the civil registry. Batch statements take one array parameter (`= any($1)`), prepared once. */
export function createRegistryStore(database: Database) {
  const { db } = database;
  const selectCitizens = () =>
    db
      .select({
        id: citizens.id,
        name: citizens.name,
        birthDate: citizens.birthDate,
        sex: citizens.sex,
        householdId: citizens.householdId,
        relation: citizens.relation,
        phone: citizens.phone,
        email: citizens.email,
        status: citizens.status,
        diedOn: citizens.diedOn,
        ...addressColumns,
      })
      .from(citizens)
      .innerJoin(households, eq(households.id, citizens.householdId));

  const citizensByIds = selectCitizens()
    .where(sql`${citizens.id} = any(${sql.placeholder('ids')})`)
    .prepare('registry_citizens_by_ids');

  const membersByHouseholds = selectCitizens()
    .where(sql`${citizens.householdId} = any(${sql.placeholder('ids')})`)
    .orderBy(sql`case ${citizens.relation} when 'HEAD' then 0 when 'SPOUSE' then 1 else 2 end`, citizens.birthDate, citizens.id)
    .prepare('registry_members_by_households');

  const householdsByIds = db
    .select({ id: households.id, ...addressColumns })
    .from(households)
    .where(sql`${households.id} = any(${sql.placeholder('ids')})`)
    .prepare('registry_households_by_ids');

  return {
    async citizensByIds(ids: readonly string[]): Promise<CitizenRecord[]> {
      const rows = await citizensByIds.execute({ ids: [...ids] });
      return rows.map(toCitizen);
    },
    /** Members of the given households, head first, then spouse, then by age. */
    async membersOfHouseholds(ids: readonly string[]): Promise<CitizenRecord[]> {
      const rows = await membersByHouseholds.execute({ ids: [...ids] });
      return rows.map(toCitizen);
    },
    async householdsByIds(ids: readonly string[]): Promise<HouseholdRecord[]> {
      const rows = await householdsByIds.execute({ ids: [...ids] });
      return rows.map(({ id, ...address }) => ({ id, address: toAddress(address) }));
    },
  };
}

export type RegistryStore = ReturnType<typeof createRegistryStore>;
