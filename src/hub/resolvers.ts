import type { HubContext } from '../graph/context.js';
import { DEPARTMENT_CATALOGUE } from './departments.js';
import type { GrantInput } from './manager.js';
import type { ConsumerRecord } from './store.js';

/** Hub operations route to the manager; role checks come from @allow in the SDL. */
export const hubResolvers = {
  Query: {
    purposes: (_: unknown, __: unknown, ctx: HubContext) => [...ctx.access.policy.purposes.values()],
    departments: () => DEPARTMENT_CATALOGUE,
    me: (_: unknown, __: unknown, ctx: HubContext) => ({ viewer: ctx.viewer }),
    consumers: (_: unknown, __: unknown, ctx: HubContext) => [...ctx.access.policy.consumers.values()],
    grants: (_: unknown, args: { consumerId?: string | null }, ctx: HubContext) => ctx.stores.hub.listGrants(args.consumerId ?? null),
    accessRequests: (_: unknown, args: { status?: string | null }, ctx: HubContext) => ctx.stores.hub.listAccessRequests(args.status ?? null),
    classifiedFields: (_: unknown, __: unknown, ctx: HubContext) => ctx.hub.classifiedFields(),
    operations: (_: unknown, args: { consumerId?: string | null; includeRemoved?: boolean | null }, ctx: HubContext) =>
      ctx.stores.hub.listRegisteredOperations(args.consumerId ?? null, args.includeRemoved ?? false),
  },
  Mutation: {
    requestAccess: (_: unknown, args: { input: { fields: string[]; purpose: string; justification: string } }, ctx: HubContext) =>
      ctx.hub.requestAccess(ctx.viewer, args.input),
    decideAccessRequest: (_: unknown, args: { id: string; approve: boolean; note?: string | null }, ctx: HubContext) =>
      ctx.hub.decideAccessRequest(ctx.viewer, args.id, args.approve, args.note ?? null),
    grantAccess: (_: unknown, args: { input: GrantInput }, ctx: HubContext) => ctx.hub.grantAccess(ctx.viewer, args.input),
    revokeGrant: (_: unknown, args: { id: string }, ctx: HubContext) => ctx.hub.revokeGrant(ctx.viewer, args.id),
    createConsumer: (_: unknown, args: { input: { id: string; name: string; department: string; role?: string | null; portal?: boolean | null } }, ctx: HubContext) =>
      ctx.hub.createConsumer(ctx.viewer, args.input),
    issueApiKey: (_: unknown, args: { consumerId: string }, ctx: HubContext) => ctx.hub.issueApiKey(ctx.viewer, args.consumerId),
    revokeApiKey: (_: unknown, args: { id: string }, ctx: HubContext) => ctx.hub.revokeApiKey(ctx.viewer, args.id),
    registerOperations: (_: unknown, args: { consumerId: string; manifest: string }, ctx: HubContext) => ctx.hub.registerOperations(ctx.viewer, args.consumerId, args.manifest),
    removeOperations: (_: unknown, args: { consumerId: string; hashes: string[] }, ctx: HubContext) => ctx.hub.removeOperations(ctx.viewer, args.consumerId, args.hashes),
    setRegisteredOperationsOnly: (_: unknown, args: { consumerId: string; on: boolean }, ctx: HubContext) => ctx.hub.setRegisteredOperationsOnly(ctx.viewer, args.consumerId, args.on),
  },
  Viewer: {
    role: ({ viewer }: Pick<HubContext, 'viewer'>) => viewer.role,
    consumer: ({ viewer }: Pick<HubContext, 'viewer'>) => viewer.consumer,
    officer: ({ viewer }: Pick<HubContext, 'viewer'>) => viewer.officer,
    purpose: ({ viewer }: Pick<HubContext, 'viewer'>) => viewer.purpose,
    caseRef: ({ viewer }: Pick<HubContext, 'viewer'>) => viewer.caseRef,
    grants: ({ viewer }: Pick<HubContext, 'viewer'>, _: unknown, ctx: HubContext) => {
      // A citizen acts as themself: the portal that signed them in lends them none of its grants (SPEC §3).
      if (viewer.role === 'citizen') return [];
      const byField = viewer.consumer ? ctx.access.policy.grants.get(viewer.consumer.id) : undefined;
      const now = Date.now();
      return [...(byField?.values() ?? [])].flat().filter((g) => g.expiresAt === null || Date.parse(g.expiresAt) > now);
    },
  },
  Consumer: {
    apiKeys: async (consumer: ConsumerRecord, _: unknown, ctx: HubContext) => ctx.stores.hub.keysOfConsumers([consumer.id]),
  },
};
