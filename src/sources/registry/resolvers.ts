import type { HubContext } from '../../graph/context.js';
import { nationalIdArgument, nationalIdListArgument } from '../../graph/arguments.js';
import type { CitizenRecord, HouseholdRecord } from './store.js';

export const registryResolvers = {
  Query: {
    citizen: (_: unknown, args: { id: string }, ctx: HubContext) => ctx.loaders.registry.citizen.load(nationalIdArgument('id', args.id)),
    citizens: async (_: unknown, args: { ids: string[] }, ctx: HubContext) => {
      const ids = nationalIdListArgument('ids', args.ids, ctx.limits.batchIds);
      return ids.length === 0 ? [] : ctx.loaders.registry.citizen.loadMany(ids);
    },
  },
  Citizen: {
    household: (citizen: CitizenRecord, _: unknown, ctx: HubContext) => ctx.loaders.registry.household.load(citizen.householdId),
  },
  Household: {
    members: async (household: HouseholdRecord, _: unknown, ctx: HubContext) =>
      (await ctx.loaders.registry.householdMembers.load(household.id)).map((citizen) => ({ relation: citizen.relation, citizen })),
  },
};
