import type { HubContext } from '../../graph/context.js';
import { creditCodeArgument, creditCodeListArgument } from '../../graph/arguments.js';

export const enterpriseResolvers = {
  Query: {
    enterprise: (_: unknown, args: { id: string }, ctx: HubContext) => ctx.loaders.enterprise.enterprise.load(creditCodeArgument('id', args.id)),
    enterprises: async (_: unknown, args: { ids: string[] }, ctx: HubContext) => {
      const ids = creditCodeListArgument('ids', args.ids, ctx.limits.batchIds);
      return ids.length === 0 ? [] : ctx.loaders.enterprise.enterprise.loadMany(ids);
    },
  },
};
