import { BadUserInputError } from '../errors.js';
import type { ChainedRecord } from '../audit/chain.js';
import { asSeenByCitizen } from '../audit/resolvers.js';
import { textArgument } from '../graph/arguments.js';
import type { HubContext } from '../graph/context.js';
import type { GrantRecord } from '../hub/store.js';
import { UUID } from '../hub/manager.js';
import type { AccessReportRecord, AccessReportStatus } from './reportStore.js';

/**
 * Reports of unrecognised access (issue 15): a citizen says "I don't
 * recognise this" about a record of their access history, a steward looks
 * into it and answers once, the citizen reads the answer. Who reported and
 * who resolved are the credentials' actors (SPEC §3); neither can be edited
 * afterwards (a trigger in the hub database).
 */

const NOTE_MAX = 2000;
const RECORD_ID = /^[1-9][0-9]{0,15}$/;

/** A report as the graph shows it: the report and the audit record it is about. */
export interface AccessReportView extends AccessReportRecord {
  record: ChainedRecord;
}

/** A report's or a resolution's note, cleaned like all client text. */
const noteArgument = (argument: string, note: string): string =>
  textArgument(argument, note, { max: NOTE_MAX, what: 'the note', whenEmpty: 'say in a sentence what you do not recognise, or how the report was resolved' });

/** Whether the signed-in citizen may see and report `record`: it is about them, or about an enterprise they legally represent now. */
async function isTheirs(ctx: HubContext, record: ChainedRecord): Promise<boolean> {
  if (record.subjectType === 'CITIZEN') return record.subjectId === ctx.viewer.citizenId;
  return ctx.access.represents(record.subjectId);
}

async function withRecords(ctx: HubContext, reports: AccessReportRecord[], seenBy: 'steward' | 'citizen'): Promise<AccessReportView[]> {
  const records = new Map((await ctx.stores.audit.byIds(reports.map((r) => r.recordId))).map((r) => [r.id, r]));
  return reports.flatMap((report) => {
    const record = records.get(report.recordId);
    // The audit log is append-only: a report's record is always there. A report without one is left out rather than shown half.
    if (!record) return [];
    return [{ ...report, record: seenBy === 'citizen' ? asSeenByCitizen(record, ctx.viewer.citizenId) : record }];
  });
}

export async function reportAccess(ctx: HubContext, recordId: string, note: string): Promise<AccessReportView> {
  const text = noteArgument('note', note);
  // One answer for "no such record" and "not yours": whether a record about someone else exists is not the caller's to learn.
  const notYours = () => new BadUserInputError('recordId', `no record of your access history (or of an enterprise you represent) has id ${recordId}; take the id from myDataAccess or enterpriseDataAccess.`);
  if (!RECORD_ID.test(recordId)) throw new BadUserInputError('recordId', 'not an audit record id (AuditRecord.id from myDataAccess or enterpriseDataAccess).');
  const [record] = await ctx.stores.audit.byIds([Number(recordId)]);
  if (!record || !(await isTheirs(ctx, record))) throw notYours();
  const report = await ctx.stores.reports.insert({
    recordId: record.id,
    subjectType: record.subjectType,
    subjectId: record.subjectId,
    reportedBy: ctx.viewer.citizenId!,
    note: text,
  });
  if (!report) throw new BadUserInputError('recordId', `you already reported record ${recordId}; its report is in myAccessReports.`);
  return { ...report, record: asSeenByCitizen(record, ctx.viewer.citizenId) };
}

export async function resolveAccessReport(ctx: HubContext, id: string, note: string): Promise<AccessReportView> {
  const text = noteArgument('note', note);
  const unknown = () => new BadUserInputError('id', `no access report has id ${id}; list them with accessReports.`);
  if (!UUID.test(id)) throw unknown();
  const existing = await ctx.stores.reports.byId(id);
  if (!existing) throw unknown();
  if (existing.status === 'RESOLVED') throw new BadUserInputError('id', `the report was resolved by ${existing.resolvedBy} at ${existing.resolvedAt}; a resolution is never changed.`);
  const resolved = await ctx.stores.reports.resolve(id, text, { actor: ctx.viewer.actor, officer: ctx.viewer.officer });
  if (!resolved) throw new BadUserInputError('id', 'the report was resolved by someone else a moment ago; reload accessReports.');
  const [view] = await withRecords(ctx, [resolved], 'steward');
  return view;
}

export async function accessReports(ctx: HubContext, status: AccessReportStatus | null): Promise<AccessReportView[]> {
  return withRecords(ctx, await ctx.stores.reports.list(status), 'steward');
}

export async function myAccessReports(ctx: HubContext): Promise<AccessReportView[]> {
  return withRecords(ctx, await ctx.stores.reports.ofReporter(ctx.viewer.citizenId!), 'citizen');
}

/** The grants the record's consumer held when the record was written: given before it, not yet revoked or expired. */
export async function grantsAtTheTime(ctx: HubContext, report: AccessReportView): Promise<GrantRecord[]> {
  const { consumerId, at } = report.record;
  if (!consumerId) return [];
  const when = Date.parse(at);
  const held = (g: GrantRecord) =>
    Date.parse(g.grantedAt) <= when && (g.revokedAt === null || Date.parse(g.revokedAt) > when) && (g.expiresAt === null || Date.parse(g.expiresAt) > when);
  return (await ctx.stores.hub.listGrants(consumerId)).filter(held);
}

/** The other records of the same request: what else the reader read in that one call. */
export async function otherReadsOf(ctx: HubContext, report: AccessReportView, first: number): Promise<ChainedRecord[]> {
  const { records } = await ctx.stores.audit.search({ requestId: report.record.requestId }, first + 1, null);
  return records.filter((r) => r.id !== report.record.id).slice(0, first);
}
