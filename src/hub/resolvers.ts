import type { HubContext } from '../graph/context.js';

export const hubResolvers = {
  Query: {
    purposes: (_: unknown, __: unknown, ctx: HubContext) => ctx.stores.hub.listPurposes(),
  },
};
