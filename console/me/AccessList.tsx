import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../src/api.js';
import { Errors, Loading, useFieldWords, When } from '../src/components.js';
import { useFormat } from '../src/i18n.js';
import { ask } from './session.js';

export interface Department {
  id: string;
  name: string;
  nameZh: string;
}

export interface AccessRecord {
  id: string;
  at: string;
  consumerName: string | null;
  department: string | null;
  departmentName: string | null;
  departmentNameZh: string | null;
  purpose: string | null;
  purposeName: string | null;
  purposeNameZh: string | null;
  caseRef: string | null;
  fieldsReturned: string[];
  fieldsDenied: string[];
  outcome: 'GRANTED' | 'PARTIAL' | 'DENIED';
  subjectType: 'CITIZEN' | 'ENTERPRISE';
  subjectId: string;
  actor: string;
  role: string;
}

export interface Report {
  id: string;
  note: string;
  reportedAt: string;
  status: 'OPEN' | 'RESOLVED';
  resolution: string | null;
  resolvedBy: string | null;
  resolvedAt: string | null;
  record: Pick<AccessRecord, 'id' | 'at' | 'consumerName' | 'department' | 'departmentName' | 'departmentNameZh' | 'role' | 'actor' | 'fieldsReturned' | 'fieldsDenied'>;
}

/** What the citizen chose to see: the server narrows by department and period; `own` (their own views through the portal) is decided here. */
export interface AccessFilter {
  department: string;
  /** Local calendar days, both included. */
  from: string;
  to: string;
  own: boolean;
}

const RECORD = `id at consumerName department departmentName departmentNameZh purpose purposeName purposeNameZh caseRef fieldsReturned fieldsDenied outcome subjectType subjectId actor role`;
const MINE = `query MyDataAccess($first: Int, $after: String, $department: String, $from: DateTime, $to: DateTime) {
  myDataAccess(first: $first, after: $after, department: $department, from: $from, to: $to) { edges { node { ${RECORD} } } pageInfo { hasNextPage endCursor } }
}`;
const ENTERPRISE = `query EnterpriseDataAccess($enterpriseId: ID!, $first: Int, $after: String, $department: String, $from: DateTime, $to: DateTime) {
  enterpriseDataAccess(enterpriseId: $enterpriseId, first: $first, after: $after, department: $department, from: $from, to: $to) { edges { node { ${RECORD} } } pageInfo { hasNextPage endCursor } }
}`;
const REPORT = `mutation ReportAccess($recordId: ID!, $note: String!) { reportAccess(recordId: $recordId, note: $note) { id status } }`;

interface Page {
  edges: { node: AccessRecord }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/** Records per request, and how many to show at least before stopping (the citizen's own views may be hidden). */
const PAGE = 20;
const ENOUGH = 10;
const MAX_PAGES = 5;

/**
 * Reads of the citizen's data (or of an enterprise they represent), newest
 * first, a page at a time ("load more"). Each read in words, with a report
 * button, or the report made of it and its answer.
 */
export function AccessList({
  citizenId,
  enterpriseId,
  filter,
  departments,
  reports,
  onReported,
  justReported,
}: {
  citizenId: string;
  enterpriseId?: string;
  filter: AccessFilter;
  departments: Department[];
  reports: ReadonlyMap<string, Report>;
  onReported(recordId: string): Promise<void>;
  /** The record whose report status should take the focus (just reported). */
  justReported?: string | null;
}) {
  const { t } = useTranslation('me');
  const [records, setRecords] = useState<AccessRecord[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [errors, setErrors] = useState<ApiError[]>([]);
  const [busy, setBusy] = useState(false);
  const [reporting, setReporting] = useState<{ record: AccessRecord; opener: HTMLElement } | null>(null);
  const { department, from, to, own } = filter;
  const visible = useCallback((r: AccessRecord) => own || !(r.role === 'citizen' && r.actor === citizenId), [own, citizenId]);

  const load = useCallback(
    async (after: string | null) => {
      setBusy(true);
      const variables = {
        enterpriseId,
        first: PAGE,
        department: department || null,
        // Whole local days: from the start of `from` to the end of `to`.
        from: from ? new Date(`${from}T00:00:00`).toISOString() : null,
        to: to ? new Date(`${to}T23:59:59.999`).toISOString() : null,
      };
      const found: AccessRecord[] = [];
      let next = after;
      let more = false;
      let problems: ApiError[] = [];
      // Pages until enough are shown: a page may hold only the citizen's own views, hidden by default.
      for (let pages = 0; pages < MAX_PAGES; pages++) {
        const result = await ask<{ myDataAccess?: Page; enterpriseDataAccess?: Page }>(enterpriseId ? ENTERPRISE : MINE, { ...variables, after: next });
        const page = result.data?.myDataAccess ?? result.data?.enterpriseDataAccess;
        problems = result.errors;
        if (!page) break;
        found.push(...page.edges.map((e) => e.node));
        more = page.pageInfo.hasNextPage && page.pageInfo.endCursor !== null;
        next = page.pageInfo.endCursor;
        if (!more || found.filter(visible).length >= ENOUGH) break;
      }
      setErrors(problems);
      setRecords((before) => (after && before ? [...before, ...found] : found));
      setCursor(more ? next : null);
      setBusy(false);
    },
    // `visible` only decides when to stop; a change of `own` alone filters what is loaded.
    [enterpriseId, department, from, to],
  );
  useEffect(() => {
    void load(null);
  }, [load]);

  if (!records) return busy ? <Loading text={t('reads.loading')} /> : <Errors errors={errors} title={t('reads.failed')} />;
  const shown = records.filter(visible);
  return (
    <div className="access-list" data-list={enterpriseId ?? 'mine'}>
      <Errors errors={errors} title={t('reads.failed')} />
      {shown.length === 0 ? (
        <p className="muted">{t(enterpriseId ? 'reads.noneEnterprise' : 'reads.none')}</p>
      ) : (
        <ol className="reads" aria-label={t('reads.list')}>
          {shown.map((record) => (
            <Read key={record.id} record={record} citizenId={citizenId} departments={departments} report={reports.get(record.id)} focusReport={justReported === record.id} onReport={(opener) => setReporting({ record, opener })} />
          ))}
        </ol>
      )}
      <p className="small muted" aria-live="polite">
        {shown.length > 0 && t('reads.count', { count: shown.length })}
      </p>
      {cursor && (
        <button type="button" className="secondary" disabled={busy} onClick={() => void load(cursor)}>
          {t('reads.more')}
        </button>
      )}
      {reporting && (
        <ReportDialog
          record={reporting.record}
          citizenId={citizenId}
          departments={departments}
          onClose={(sent) => {
            const { record, opener } = reporting;
            setReporting(null);
            if (sent) void onReported(record.id);
            else opener.focus();
          }}
        />
      )}
    </div>
  );
}

function Read({
  record,
  citizenId,
  departments,
  report,
  focusReport,
  onReport,
}: {
  record: AccessRecord;
  citizenId: string;
  departments: Department[];
  report?: Report;
  focusReport: boolean;
  onReport(opener: HTMLElement): void;
}) {
  const { t } = useTranslation('me');
  const reported = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (focusReport && report) reported.current?.focus();
  }, [focusReport, report]);
  const format = useFormat();
  const words = useFieldWords();
  const list = new Intl.ListFormat(format.language, { style: 'long', type: 'conjunction' });
  const who = readerOf(record, citizenId, departments, t, format.name);
  const purpose = record.purposeName ? format.name({ name: record.purposeName, nameZh: record.purposeNameZh }) : record.purpose;
  return (
    <li className="read item" data-record={record.id} data-outcome={record.outcome}>
      <div className="read-head">
        <h3>{who}</h3>
        <span className={`badge ${record.outcome.toLowerCase()}`}>{t(`reads.outcome.${record.outcome}`)}</span>
      </div>
      <p className="read-when">
        <When at={record.at} />
      </p>
      <dl className="facts">
        <dt>{t('reads.purpose')}</dt>
        <dd>{purpose ?? <span className="muted">{t('reads.noPurpose')}</span>}</dd>
        <dt>{t('reads.case')}</dt>
        <dd>{record.caseRef ? <code>{record.caseRef}</code> : <span className="muted">{t('reads.noCase')}</span>}</dd>
        {record.fieldsReturned.length > 0 && (
          <>
            <dt>{t('reads.fields')}</dt>
            <dd className="fields">{list.format(record.fieldsReturned.map(words))}</dd>
          </>
        )}
        {record.fieldsDenied.length > 0 && (
          <>
            <dt>{t('reads.denied')}</dt>
            <dd className="fields denied">{list.format(record.fieldsDenied.map(words))}</dd>
          </>
        )}
      </dl>
      {record.outcome === 'DENIED' && <p className="denied-all">{t('reads.deniedAll')}</p>}
      {report ? (
        <div className="reported" ref={reported} tabIndex={-1} data-status={report.status}>
          <p>{t(`reads.reported.${report.status}`)}</p>
          {report.resolution && <p className="resolution">{report.resolution}</p>}
        </div>
      ) : (
        <button type="button" className="secondary report-button" onClick={(e) => onReport(e.currentTarget)}>
          {t('reads.report')}
          <span className="sr-only">{t('reads.reportRest', { who, when: format.dateTime(record.at) })}</span>
        </button>
      )}
    </li>
  );
}

function ReportDialog({ record, citizenId, departments, onClose }: { record: AccessRecord; citizenId: string; departments: Department[]; onClose(sent: boolean): void }) {
  const { t } = useTranslation('me');
  const format = useFormat();
  const words = useFieldWords();
  const dialog = useRef<HTMLDialogElement>(null);
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<ApiError[]>([]);
  const [busy, setBusy] = useState(false);
  const list = new Intl.ListFormat(format.language, { style: 'long', type: 'conjunction' });

  useEffect(() => {
    const d = dialog.current!;
    d.showModal();
    return () => d.close();
  }, []);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!note.trim()) {
      setErrors([{ message: t('report.noteMissing'), local: true }]);
      return;
    }
    setBusy(true);
    const result = await ask(REPORT, { recordId: record.id, note: note.trim() });
    setBusy(false);
    if (result.errors.length > 0) setErrors(result.errors);
    else onClose(true);
  }

  const fields = [...record.fieldsReturned, ...record.fieldsDenied];
  return (
    <dialog
      ref={dialog}
      className="editor report-dialog"
      aria-labelledby="report-title"
      aria-describedby="report-what"
      onCancel={(e) => {
        e.preventDefault();
        onClose(false);
      }}
    >
      <h2 id="report-title">{t('report.title')}</h2>
      <p id="report-what">
        {t('report.what', { who: readerOf(record, citizenId, departments, t, format.name), when: format.dateTime(record.at), fields: list.format(fields.map(words)) })}
      </p>
      <form onSubmit={submit} noValidate>
        <label htmlFor="report-note">{t('report.note')}</label>
        <textarea
          id="report-note"
          rows={4}
          maxLength={2000}
          value={note}
          autoFocus
          onChange={(e) => setNote(e.target.value)}
          aria-describedby="report-note-hint"
          aria-invalid={errors.length > 0 || undefined}
        />
        <p id="report-note-hint" className="hint">
          {t('report.noteHint')}
        </p>
        <Errors errors={errors} title={errors.some((e) => !e.local) ? t('report.refused') : undefined} />
        <div className="actions">
          <button type="submit" disabled={busy}>
            {busy ? t('report.busy') : t('report.submit')}
          </button>
          <button type="button" className="secondary" onClick={() => onClose(false)}>
            {t('report.cancel')}
          </button>
        </div>
      </form>
    </dialog>
  );
}

type T = ReturnType<typeof useTranslation<'me'>>['t'];

/** Who read, in words: the department and its application; the citizen themself or another citizen through a portal. */
export function readerOf(
  record: { role: string; actor: string; consumerName: string | null; department: string | null; departmentName: string | null; departmentNameZh: string | null },
  citizenId: string,
  departments: Department[],
  t: T,
  name: (entry: { name: string; nameZh?: string | null }) => string,
): string {
  const application = record.consumerName ?? t('reads.unknownApplication');
  if (record.role === 'citizen') return t(record.actor === citizenId ? 'reads.yourself' : 'reads.anotherCitizen', { application });
  const known = departments.find((d) => d.id === record.department);
  const department = known ? name(known) : record.departmentName ? name({ name: record.departmentName, nameZh: record.departmentNameZh }) : t('reads.unknownDepartment');
  return t('reads.by', { department, application });
}
