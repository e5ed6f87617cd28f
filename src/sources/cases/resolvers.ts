import type { HubContext } from '../../graph/context.js';
import { decodeCursor, encodeCursor, pageInfoOf, pageSizeArgument } from '../../graph/arguments.js';
import type { CaseListFilter, CaseRatingRecord, CaseRecord, ServiceObject, ServiceRecord } from './store.js';

export const casesResolvers = {
  Query: {
    case: (_: unknown, args: { number: string }, ctx: HubContext) => ctx.loaders.cases.case.load(args.number),
    services: (_: unknown, args: { theme?: string | null; serviceObject?: ServiceObject | null }, ctx: HubContext) =>
      ctx.stores.cases.listServices(args.theme ?? null, args.serviceObject ?? null),
    cases: async (_: unknown, args: { filter?: CaseListFilter | null; first?: number | null; after?: string | null }, ctx: HubContext) => {
      const first = pageSizeArgument('first', args.first, ctx.limits.pageSize);
      // filter.applicantId was decided as a read of Citizen.cases before this runs (@reads);
      // the caller's scope narrows the list to their department's cases or their own.
      const filter = ctx.access.narrowCaseFilter({ ...args.filter });
      const after = decodeCursor('after', args.after, ['instant', 'key']);
      if (!filter) return { edges: [], pageInfo: pageInfoOf([], false, args.after) };
      const page = await ctx.stores.cases.pageOfCases(filter, first, after && { submittedAt: after[0], number: after[1] });
      const edges = page.cases.map((node) => ({ node, cursor: encodeCursor([node.submittedAt, node.number]) }));
      return { edges, pageInfo: pageInfoOf(edges, page.hasNextPage, args.after) };
    },
  },
  Case: {
    service: (c: CaseRecord, _: unknown, ctx: HubContext) => ctx.loaders.cases.service.load(c.serviceCode),
    events: (c: CaseRecord, _: unknown, ctx: HubContext) => ctx.loaders.cases.eventsOfCase.load(c.number),
    rating: (c: CaseRecord, _: unknown, ctx: HubContext) => ctx.loaders.cases.ratingOfCase.load(c.number),
  },
  CaseRating: {
    followUp: (r: CaseRatingRecord, _: unknown, ctx: HubContext) => ctx.loaders.cases.followUpOfCase.load(r.caseNumber),
  },
  Service: {
    dataItems: (s: ServiceRecord, _: unknown, ctx: HubContext) => ctx.loaders.cases.dataItemsOfService.load(s.code),
  },
};
