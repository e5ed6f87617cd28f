import type { HubContext } from '../graph/context.js';
import { decodeCursor, encodeCursor, nationalIdArgument, pageInfoOf, pageSizeArgument, subjectIdArgument } from '../graph/arguments.js';
import { departmentOf } from '../hub/departments.js';
import type { ChainedRecord } from './chain.js';
import type { AuditFilter } from './store.js';
import { verifyAuditLog } from './checkpoints.js';
import { BadUserInputError } from '../errors.js';

/**
 * What a citizen sees of a record about them or their enterprise: everything,
 * except who another citizen is. A record whose reader was a citizen other
 * than the one reading the log (someone refused reading them) names that
 * reader's national ID as actor and officer; the reader's identity is their
 * personal data, so the citizen sees only that a citizen tried.
 */
export function asSeenByCitizen(record: ChainedRecord, citizenId: string | null): ChainedRecord {
  if (record.role !== 'citizen' || record.actor === citizenId) return record;
  return { ...record, actor: 'another citizen', officer: null };
}

async function page(ctx: HubContext, filter: AuditFilter, first: number | null | undefined, after: string | null | undefined, seenBy: 'steward' | 'citizen' = 'steward') {
  const size = pageSizeArgument('first', first, ctx.limits.pageSize);
  const cursor = decodeCursor('after', after, ['id']);
  const beforeId = cursor ? Number(cursor[0]) : null;
  const { records, hasNextPage } = await ctx.stores.audit.search(filter, size, beforeId);
  const shown = seenBy === 'citizen' ? records.map((r) => asSeenByCitizen(r, ctx.viewer.citizenId)) : records;
  const edges = shown.map((node) => ({ node, cursor: encodeCursor([String(node.id)]) }));
  return { edges, pageInfo: pageInfoOf(edges, hasNextPage, after) };
}

/** A citizen's history, narrowed by department and period (the citizen's page filters by both). */
interface HistoryArgs {
  first?: number | null;
  after?: string | null;
  department?: string | null;
  from?: string | null;
  to?: string | null;
}

function historyFilter(args: HistoryArgs): AuditFilter {
  if (args.department != null && !departmentOf(args.department)) throw new BadUserInputError('department', `unknown department "${args.department}"; query \`departments\` for the list.`);
  if (args.from != null && args.to != null && Date.parse(args.from) > Date.parse(args.to)) throw new BadUserInputError('from', 'is after `to`.');
  return { department: args.department ?? null, from: args.from ?? null, to: args.to ?? null };
}

export const auditResolvers = {
  Query: {
    auditLog: (_: unknown, args: { filter?: AuditFilter | null; first?: number | null; after?: string | null }, ctx: HubContext) => {
      const filter = { ...args.filter };
      if (filter.citizenId) nationalIdArgument('filter.citizenId', filter.citizenId);
      if (filter.subjectId) subjectIdArgument('filter.subjectId', filter.subjectId);
      return page(ctx, filter, args.first, args.after);
    },
    verifyAudit: (_: unknown, args: { full?: boolean | null }, ctx: HubContext) => verifyAuditLog(ctx.stores.audit, { key: ctx.limits.auditCheckpointKey, full: args.full ?? false }),
    myDataAccess: (_: unknown, args: HistoryArgs, ctx: HubContext) =>
      page(ctx, { ...historyFilter(args), subjectType: 'CITIZEN', subjectId: ctx.viewer.citizenId }, args.first, args.after, 'citizen'),
    // Only the enterprise's legal representative gets here (@represents).
    enterpriseDataAccess: (_: unknown, args: HistoryArgs & { enterpriseId: string }, ctx: HubContext) =>
      page(ctx, { ...historyFilter(args), subjectType: 'ENTERPRISE', subjectId: args.enterpriseId }, args.first, args.after, 'citizen'),
  },
  AuditRecord: {
    consumerName: (r: ChainedRecord, _: unknown, ctx: HubContext) => (r.consumerId ? ctx.access.policy.consumers.get(r.consumerId)?.name ?? null : null),
    departmentName: (r: ChainedRecord) => (r.department ? departmentOf(r.department)?.name ?? r.department : null),
    departmentNameZh: (r: ChainedRecord) => (r.department ? departmentOf(r.department)?.nameZh ?? r.department : null),
    purposeName: (r: ChainedRecord, _: unknown, ctx: HubContext) => (r.purpose ? ctx.access.policy.purposes.get(r.purpose)?.name ?? null : null),
    purposeNameZh: (r: ChainedRecord, _: unknown, ctx: HubContext) => (r.purpose ? ctx.access.policy.purposes.get(r.purpose)?.nameZh ?? null : null),
  },
};
