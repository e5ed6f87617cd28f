import { useState, type FormEvent } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { graphql, type ApiError } from '../api.js';
import { useQuery } from '../useQuery.js';
import { Errors, Loading, Section, useFieldWords, When } from '../components.js';
import { useFormat } from '../i18n.js';
import { GrantSummary, type Grant } from './AccessMatrix.js';
import type { AuditRecord } from './Audit.js';

/** The reported record: what the Audit screen shows, with who read and whose data it was. */
type ReportedRecord = Omit<AuditRecord, 'citizenId'> & { actor: string; role: string; subjectType: 'CITIZEN' | 'ENTERPRISE' };
interface AccessReport {
  id: string;
  note: string;
  reportedAt: string;
  reportedBy: string;
  status: 'OPEN' | 'RESOLVED';
  resolution: string | null;
  resolvedBy: string | null;
  resolvedByOfficer: string | null;
  resolvedAt: string | null;
  record: ReportedRecord;
  grantsAtTheTime: Grant[];
  otherReads: Pick<ReportedRecord, 'id' | 'subjectType' | 'subjectId' | 'fieldsReturned' | 'fieldsDenied' | 'outcome'>[];
}

const RECORD = `id at requestId consumerId consumerName department departmentName departmentNameZh actor role officer purpose purposeName purposeNameZh caseRef operationName subjectType subjectId fieldsReturned fieldsDenied outcome`;
export const REPORTS = `query AccessReports {
  accessReports {
    id note reportedAt reportedBy status resolution resolvedBy resolvedByOfficer resolvedAt
    record { ${RECORD} }
    grantsAtTheTime { id consumerId field purposes condition mask expiresAt grantedBy grantedAt revokedAt }
    otherReads { id subjectType subjectId fieldsReturned fieldsDenied outcome }
  }
}`;
const RESOLVE = `mutation ConsoleResolveReport($id: ID!, $note: String!) { resolveAccessReport(id: $id, note: $note) { id status } }`;

/** Reports of unrecognised access (SPEC §6): open ones first, each with what the steward needs to judge it, and the resolution form. */
export function Reports() {
  const { t } = useTranslation('console');
  const reports = useQuery<{ accessReports: AccessReport[] }>(REPORTS);
  const [status, setStatus] = useState('');
  if (!reports.data) return reports.loading ? <Loading text={t('reports.loading')} /> : <Errors errors={reports.errors} title={t('reports.loadFailed')} />;
  const open = reports.data.accessReports.filter((r) => r.status === 'OPEN');
  const resolved = reports.data.accessReports.filter((r) => r.status !== 'OPEN');
  return (
    <>
      <p className="lead">{t('reports.lead')}</p>
      <p role="status" className="status">
        {status}
      </p>
      <Section title={t('reports.open', { count: open.length })}>
        {open.length === 0 ? (
          <p className="muted">{t('reports.noneOpen')}</p>
        ) : (
          <ul className="requests">
            {open.map((r) => (
              <ReportCard
                key={r.id}
                report={r}
                onResolved={(message) => {
                  setStatus(message);
                  void reports.reload();
                }}
              />
            ))}
          </ul>
        )}
      </Section>
      <Section title={t('reports.resolved', { count: resolved.length })}>
        {resolved.length === 0 ? (
          <p className="muted">{t('reports.noneResolved')}</p>
        ) : (
          <ul className="requests">
            {resolved.map((r) => (
              <ReportCard key={r.id} report={r} />
            ))}
          </ul>
        )}
      </Section>
    </>
  );
}

function ReportCard({ report, onResolved }: { report: AccessReport; onResolved?(message: string): void }) {
  const { t } = useTranslation('console');
  const common = useTranslation('common').t;
  const format = useFormat();
  const words = useFieldWords();
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<ApiError[]>([]);
  const [busy, setBusy] = useState(false);
  const r = report.record;
  const consumer = r.consumerName ?? r.consumerId ?? r.actor;
  const headingId = `report-${report.id}`;
  const noteId = `resolution-${report.id}`;
  /** Field codes for the steward, each with its words in the page's language, as the citizen read them. */
  const fields = (list: string[]) =>
    list.length === 0 ? (
      <span className="muted">—</span>
    ) : (
      list.map((f, i) => (
        <span key={f}>
          {i > 0 && ', '}
          <code>{f}</code> <span className="muted small">({words(f)})</span>
        </span>
      ))
    );

  async function resolve(event: FormEvent) {
    event.preventDefault();
    if (!note.trim()) {
      setErrors([{ message: t('reports.noteMissing'), local: true }]);
      return;
    }
    setBusy(true);
    const result = await graphql(RESOLVE, { id: report.id, note: note.trim() });
    setBusy(false);
    setErrors(result.errors);
    if (result.errors.length === 0) onResolved?.(t('reports.resolvedStatus', { citizen: report.reportedBy }));
  }

  return (
    <li className="request card report" data-report={report.id} data-record={r.id} aria-labelledby={headingId}>
      <h3 id={headingId}>
        <Trans t={t} i18nKey="reports.heading" values={{ citizen: report.reportedBy, consumer, when: format.dateTime(r.at) }} components={{ muted: <span className="muted" /> }} />
      </h3>
      <dl className="facts">
        <dt>{t('reports.reportedAt')}</dt>
        <dd>
          <When at={report.reportedAt} />
        </dd>
        <dt>{t('reports.note')}</dt>
        <dd className="quote">{report.note}</dd>
      </dl>
      <h4>{t('reports.record', { id: r.id })}</h4>
      <dl className="facts">
        <dt>{t('reports.when')}</dt>
        <dd>
          <When at={r.at} />
        </dd>
        <dt>{t('reports.consumer')}</dt>
        <dd>
          {consumer} {r.consumerId && <span className="muted">({r.consumerId})</span>}
          {r.department && <span className="muted small"> · {r.departmentName ? format.name({ name: r.departmentName, nameZh: r.departmentNameZh }) : r.department}</span>}
        </dd>
        <dt>{t('reports.actor')}</dt>
        <dd>
          {r.actor}
          {r.officer && r.officer !== r.actor && <span className="muted"> ({r.officer})</span>}
        </dd>
        <dt>{t('reports.purpose')}</dt>
        <dd>
          {r.purpose ?? <span className="muted">—</span>}
          {r.purposeName && <span className="muted small"> · {format.name({ name: r.purposeName, nameZh: r.purposeNameZh })}</span>}
        </dd>
        <dt>{t('reports.case')}</dt>
        <dd>{r.caseRef ?? <span className="muted">—</span>}</dd>
        <dt>{t('reports.subject')}</dt>
        <dd>
          <code>{r.subjectId}</code>
          {r.subjectType === 'ENTERPRISE' && <span className="muted small"> · {t('reports.enterprise')}</span>}
        </dd>
        <dt>{t('reports.returned')}</dt>
        <dd>{fields(r.fieldsReturned)}</dd>
        <dt>{t('reports.denied')}</dt>
        <dd>{fields(r.fieldsDenied)}</dd>
        <dt>{t('reports.outcome')}</dt>
        <dd>
          <span className={`badge ${r.outcome.toLowerCase()}`}>{common(`outcome.${r.outcome}`)}</span>
          {r.operationName && <span className="muted small"> · {r.operationName}</span>}
          <span className="muted small"> · {t('reports.request', { id: r.requestId })}</span>
        </dd>
      </dl>
      <div className="report-context">
        <div>
          <h5>{t('reports.grantsAtTheTime', { count: report.grantsAtTheTime.length })}</h5>
          {report.grantsAtTheTime.length === 0 ? (
            <p className="muted small">{t('reports.noGrants')}</p>
          ) : (
            <ul className="grants-in-force" aria-label={t('reports.grantsOf', { consumer })}>
              {/* The grants of the fields this record served first: the basis of the read. */}
              {[...report.grantsAtTheTime].sort((a, b) => Number(r.fieldsReturned.includes(b.field)) - Number(r.fieldsReturned.includes(a.field))).map((g) => (
                <li key={g.id} data-field={g.field} className={r.fieldsReturned.includes(g.field) ? 'basis' : undefined}>
                  <code>{g.field}</code> <GrantSummary grant={g} />
                  <span className="muted small">
                    {t('reports.grantedBy', { who: g.grantedBy })} <When at={g.grantedAt} />
                  </span>
                </li>
              ))}
            </ul>
          )}
        </div>
        <div>
          <h5>{t('reports.otherReads', { count: report.otherReads.length })}</h5>
          {report.otherReads.length === 0 ? (
            <p className="muted small">{t('reports.noOtherReads')}</p>
          ) : (
            <ul className="grants-in-force" aria-label={t('reports.otherReadsOf', { id: r.requestId })}>
              {report.otherReads.map((o) => (
                <li key={o.id} data-other={o.id}>
                  <code>{o.subjectId}</code> <span className={`badge ${o.outcome.toLowerCase()}`}>{common(`outcome.${o.outcome}`)}</span>{' '}
                  <span className="small">{o.fieldsReturned.join(', ') || '—'}</span>
                  {o.fieldsDenied.length > 0 && <span className="small muted"> · {t('reports.deniedList', { fields: o.fieldsDenied.join(', ') })}</span>}
                </li>
              ))}
            </ul>
          )}
        </div>
      </div>
      {report.status === 'RESOLVED' ? (
        <dl className="facts resolution">
          <dt>{t('reports.resolution')}</dt>
          <dd className="quote">{report.resolution}</dd>
          <dt>{t('reports.resolvedBy')}</dt>
          <dd>
            {report.resolvedBy}
            {report.resolvedByOfficer && <span className="muted"> ({report.resolvedByOfficer})</span>}, <When at={report.resolvedAt} />
          </dd>
        </dl>
      ) : (
        <form onSubmit={resolve} noValidate className="resolve">
          <label htmlFor={noteId}>{t('reports.resolutionLabel')}</label>
          <textarea id={noteId} rows={3} maxLength={2000} value={note} onChange={(e) => setNote(e.target.value)} aria-describedby={`${noteId}-hint`} aria-invalid={errors.length > 0 || undefined} />
          <p id={`${noteId}-hint`} className="hint">
            {t('reports.resolutionHint')}
          </p>
          <Errors errors={errors} title={errors.some((e) => !e.local) ? t('reports.refused') : undefined} />
          <div className="actions">
            <button type="submit" disabled={busy}>
              {t('reports.resolve')}
              <span className="sr-only">{t('reports.resolveRest', { citizen: report.reportedBy })}</span>
            </button>
          </div>
        </form>
      )}
    </li>
  );
}
