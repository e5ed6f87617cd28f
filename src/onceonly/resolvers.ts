import type { GraphQLResolveInfo } from 'graphql';
import type { HubContext } from '../graph/context.js';
import { serviceMetrics } from './metrics.js';
import { prefill } from './prefill.js';
import { submitApplication, type ApplicationInput } from './submit.js';

/** Once-only: pre-filled forms, applications, and what they saved. */
export const onceOnlyResolvers = {
  Query: {
    prefill: (_: unknown, args: { serviceCode: string; citizenId?: string | null; enterpriseId?: string | null }, ctx: HubContext, info: GraphQLResolveInfo) =>
      prefill(ctx, args.serviceCode, { citizenId: args.citizenId, enterpriseId: args.enterpriseId }, info),
    serviceMetrics: (_: unknown, args: { from?: string | null; to?: string | null }, ctx: HubContext) => serviceMetrics(ctx, args.from ?? null, args.to ?? null),
  },
  Mutation: {
    submitApplication: (_: unknown, args: { input: ApplicationInput }, ctx: HubContext, info: GraphQLResolveInfo) => submitApplication(ctx, args.input, info),
  },
};
