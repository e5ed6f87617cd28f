import type { HubContext } from '../../graph/context.js';
import { nationalIdArgument, nationalIdListArgument } from '../../graph/arguments.js';
import type { CitizenRecord, HouseholdRecord } from './store.js';

/** A household as the graph serves it: with the citizen it was reached from (its @entity subjectKey). */
type HouseholdOfCitizen = HouseholdRecord & { subjectId: string };

export const registryResolvers = {
  Query: {
    citizen: (_: unknown, args: { id: string }, ctx: HubContext) => ctx.loaders.registry.citizen.load(nationalIdArgument('id', args.id)),
    citizens: async (_: unknown, args: { ids: string[] }, ctx: HubContext) => {
      const ids = nationalIdListArgument('ids', args.ids, ctx.limits.batchIds);
      return ids.length === 0 ? [] : ctx.loaders.registry.citizen.loadMany(ids);
    },
  },
  Citizen: {
    // A household is read as the household of the citizen it was reached from: that citizen is its data subject.
    household: async (citizen: CitizenRecord, _: unknown, ctx: HubContext): Promise<HouseholdOfCitizen | null> => {
      const household = await ctx.loaders.registry.household.load(citizen.householdId);
      return household && { ...household, subjectId: citizen.id };
    },
  },
  Household: {
    // Each member is their own data subject (SPEC §4: a person reached through another is read as that person).
    members: async (household: HouseholdOfCitizen, _: unknown, ctx: HubContext) =>
      (await ctx.loaders.registry.householdMembers.load(household.id)).map((citizen) => ({ relation: citizen.relation, citizen, citizenId: citizen.id })),
  },
};
