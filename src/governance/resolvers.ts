import type { GraphQLResolveInfo } from 'graphql';
import type { HubContext } from '../graph/context.js';
import { previewAccess, type PreviewArgs } from './preview.js';
import { pageSizeArgument } from '../graph/arguments.js';
import { accessReports, grantsAtTheTime, myAccessReports, otherReadsOf, reportAccess, resolveAccessReport, type AccessReportView } from './reports.js';
import type { AccessReportStatus } from './reportStore.js';

/** Governance: reports of unrecognised access, previews of access. Roles come from @allow in the SDL. */
export const governanceResolvers = {
  Query: {
    accessReports: (_: unknown, args: { status?: AccessReportStatus | null }, ctx: HubContext) => accessReports(ctx, args.status ?? null),
    myAccessReports: (_: unknown, __: unknown, ctx: HubContext) => myAccessReports(ctx),
    previewAccess: (_: unknown, args: PreviewArgs, ctx: HubContext, info: GraphQLResolveInfo) => previewAccess(ctx, args, info),
  },
  Mutation: {
    reportAccess: (_: unknown, args: { recordId: string; note: string }, ctx: HubContext) => reportAccess(ctx, args.recordId, args.note),
    resolveAccessReport: (_: unknown, args: { id: string; note: string }, ctx: HubContext) => resolveAccessReport(ctx, args.id, args.note),
  },
  AccessReport: {
    grantsAtTheTime: (report: AccessReportView, _: unknown, ctx: HubContext) => grantsAtTheTime(ctx, report),
    otherReads: (report: AccessReportView, args: { first?: number | null }, ctx: HubContext) => otherReadsOf(ctx, report, pageSizeArgument('first', args.first, ctx.limits.pageSize)),
  },
};
