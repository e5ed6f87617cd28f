import type { GraphQLResolveInfo } from 'graphql';
import type { HubContext } from '../graph/context.js';
import { previewAccess, type PreviewArgs } from './preview.js';
import { pageSizeArgument } from '../graph/arguments.js';
import { accessReports, grantsAtTheTime, myAccessReports, otherReadsOf, reportAccess, resolveAccessReport, type AccessReportView } from './reports.js';
import type { AccessReportStatus } from './reportStore.js';
import { lastUsedAt, readingFlags, usesInReviewWindow } from './review.js';
import type { GrantRecord } from '../hub/store.js';
import { BadUserInputError } from '../errors.js';

/** Governance: reports of unrecognised access, previews of access, grant review, policy as code. Roles come from @allow in the SDL. */
export const governanceResolvers = {
  Query: {
    accessReports: (_: unknown, args: { status?: AccessReportStatus | null }, ctx: HubContext) => accessReports(ctx, args.status ?? null),
    myAccessReports: (_: unknown, __: unknown, ctx: HubContext) => myAccessReports(ctx),
    readingFlags: (_: unknown, args: { days?: number | null }, ctx: HubContext) => {
      const days = args.days ?? 30;
      if (!Number.isInteger(days) || days < 1 || days > 366) throw new BadUserInputError('days', 'between 1 and 366.');
      return readingFlags(ctx, days, ctx.limits.caselessCitizensPerDay);
    },
    exportPolicy: (_: unknown, __: unknown, ctx: HubContext) => ctx.hub.exportPolicy(ctx.viewer),
    policyDiff: (_: unknown, args: { document: string }, ctx: HubContext) => ctx.hub.diffPolicy(args.document),
    previewAccess: (_: unknown, args: PreviewArgs, ctx: HubContext, info: GraphQLResolveInfo) => previewAccess(ctx, args, info),
  },
  Mutation: {
    applyPolicy: (_: unknown, args: { document: string }, ctx: HubContext) => ctx.hub.applyPolicy(ctx.viewer, args.document),
    reportAccess: (_: unknown, args: { recordId: string; note: string }, ctx: HubContext) => reportAccess(ctx, args.recordId, args.note),
    resolveAccessReport: (_: unknown, args: { id: string; note: string }, ctx: HubContext) => resolveAccessReport(ctx, args.id, args.note),
  },
  Grant: {
    lastUsedAt: (grant: GrantRecord, _: unknown, ctx: HubContext) => lastUsedAt(ctx, grant),
    usesLast90Days: (grant: GrantRecord, _: unknown, ctx: HubContext) => usesInReviewWindow(ctx, grant),
  },
  AccessReport: {
    grantsAtTheTime: (report: AccessReportView, _: unknown, ctx: HubContext) => grantsAtTheTime(ctx, report),
    otherReads: (report: AccessReportView, args: { first?: number | null }, ctx: HubContext) => otherReadsOf(ctx, report, pageSizeArgument('first', args.first, ctx.limits.pageSize)),
  },
};
