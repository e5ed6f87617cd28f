import type { HubContext } from '../../graph/context.js';

export const licensingResolvers = {
  Query: {
    license: (_: unknown, args: { number: string }, ctx: HubContext) => ctx.loaders.licensing.license.load(args.number),
  },
};
