import { useEffect, useState, type FormEvent } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { graphql, type ApiError } from '../api.js';
import { useQuery } from '../useQuery.js';
import { Errors, Loading, Section, When } from '../components.js';
import { useFormat } from '../i18n.js';

/** An audit record as the console's screens show it (Audit, Access reports). */
export interface AuditRecord {
  id: string;
  at: string;
  requestId: string;
  consumerId: string | null;
  consumerName: string | null;
  department: string | null;
  departmentName: string | null;
  departmentNameZh: string | null;
  officer: string | null;
  purpose: string | null;
  purposeName: string | null;
  purposeNameZh: string | null;
  caseRef: string | null;
  operationName: string | null;
  citizenId: string | null;
  subjectId: string;
  fieldsReturned: string[];
  fieldsDenied: string[];
  outcome: 'GRANTED' | 'PARTIAL' | 'DENIED';
}
interface Page {
  edges: { cursor: string; node: AuditRecord }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}
interface Verification {
  ok: boolean;
  checked: number;
  firstBrokenId: string | null;
  problem: string | null;
}

const OPTIONS = `query AuditOptions { consumers { id name } purposes { code name nameZh } }`;
interface Options {
  consumers: { id: string; name: string }[];
  purposes: { code: string; name: string; nameZh: string }[];
}
const VERIFY = `query ConsoleVerifyAudit { verifyAudit { ok checked firstBrokenId problem } }`;
const SEARCH = `query ConsoleAuditSearch($filter: AuditFilter, $after: String) {
  auditLog(filter: $filter, first: 50, after: $after) {
    edges { cursor node { id at requestId consumerId consumerName department departmentName departmentNameZh officer purpose purposeName purposeNameZh caseRef operationName citizenId subjectId fieldsReturned fieldsDenied outcome } }
    pageInfo { hasNextPage endCursor }
  }
}`;

const ATTENTION = `query AuditAttention {
  accessReports(status: OPEN) { id reportedAt reportedBy record { id at consumerId consumerName } }
  readingFlags(days: 30) { consumerId day citizens threshold }
  consumers { id name }
}`;
interface Attention {
  accessReports: { id: string; reportedAt: string; reportedBy: string; record: { id: string; at: string; consumerId: string | null; consumerName: string | null } }[];
  readingFlags: { consumerId: string; day: string; citizens: number; threshold: number }[];
  consumers: { id: string; name: string }[];
}

/** The audit screen opens on what needs a steward (open reports, reading flags), then the chain, then the newest records. */
export function Audit() {
  return (
    <>
      <NeedsAttention />
      <ChainStatus />
      <AuditSearch />
    </>
  );
}

/** Open reports of unrecognised access and consumers flagged for reading many citizens a day without a case (SPEC §6, issue 15 §5). */
function NeedsAttention() {
  const { t } = useTranslation('console');
  const common = useTranslation('common').t;
  const format = useFormat();
  const attention = useQuery<Attention>(ATTENTION);
  const data = attention.data;
  const names = new Map(data?.consumers.map((c) => [c.id, c.name]) ?? []);
  const shown = data?.accessReports.slice(0, 5) ?? [];
  return (
    <Section title={t('audit.attention')}>
      {!data ? (
        attention.loading ? <Loading text={common('loading')} /> : <Errors errors={attention.errors} title={t('audit.attentionFailed')} />
      ) : (
        <div className="attention">
          <div data-testid="open-reports">
            <p>
              <strong>{data.accessReports.length > 0 ? t('audit.openReports', { count: data.accessReports.length }) : t('audit.noOpenReports')}</strong>
            </p>
            {shown.length > 0 && (
              <>
                <ul>
                  {shown.map((r) => (
                    <li key={r.id} data-report={r.id}>
                      {t('audit.reportLine', { citizen: r.reportedBy, consumer: r.record.consumerName ?? r.record.consumerId ?? '—', when: format.dateTime(r.reportedAt) })}
                    </li>
                  ))}
                </ul>
                <a href="#/reports">{t('audit.toReports')}</a>
              </>
            )}
          </div>
          <h3>{t('audit.flags')}</h3>
          {data.readingFlags.length === 0 ? (
            <p className="muted">{t('audit.noFlags')}</p>
          ) : (
            <div className="table-scroll">
              <table className="list numbers flags">
                <caption className="sr-only">{t('audit.flagsCaption')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('audit.flagColumn.consumer')}</th>
                    <th scope="col">{t('audit.flagColumn.day')}</th>
                    <th scope="col">{t('audit.flagColumn.citizens')}</th>
                    <th scope="col">{t('audit.flagColumn.threshold')}</th>
                    <th scope="col">
                      <span className="sr-only">{t('audit.reviewGrants')}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {data.readingFlags.map((f) => (
                    <tr key={`${f.consumerId}|${f.day}`} data-flag={f.consumerId}>
                      <th scope="row">
                        {names.get(f.consumerId) ?? f.consumerId} <span className="muted small">({f.consumerId})</span>
                      </th>
                      <td>{format.date(`${f.day}T12:00:00Z`)}</td>
                      <td>{format.count(f.citizens)}</td>
                      <td>{format.count(f.threshold)}</td>
                      <td>
                        <a href="#/consumers">{t('audit.reviewGrants')}</a>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
      )}
    </Section>
  );
}

function ChainStatus() {
  const { t } = useTranslation('console');
  const verification = useQuery<{ verifyAudit: Verification }>(VERIFY);
  const v = verification.data?.verifyAudit;
  return (
    <Section
      title={t('audit.chain')}
      actions={
        <button type="button" className="secondary" disabled={verification.loading} onClick={() => void verification.reload()}>
          {t('audit.verifyAgain')}
        </button>
      }
    >
      <div role="status" aria-busy={verification.loading}>
        {verification.loading && !v && <Loading text={t('audit.verifying')} />}
        {v &&
          (v.ok ? (
            <p className="chain ok">
              <span aria-hidden="true">✔ </span>
              {t('audit.intact', { count: v.checked })}
            </p>
          ) : (
            <p className="chain broken">
              <span aria-hidden="true">✖ </span>
              {/* The hub names the problem in English, for developers. */}
              <Trans
                t={t}
                i18nKey="audit.broken"
                values={{ id: v.firstBrokenId ?? '?', count: v.checked, problem: v.problem ?? t('audit.brokenProblem') }}
                components={{ strong: <strong /> }}
              />
            </p>
          ))}
        <Errors errors={verification.errors} title={t('audit.verifyFailed')} />
      </div>
    </Section>
  );
}

function AuditSearch() {
  const { t } = useTranslation('console');
  const common = useTranslation('common').t;
  const format = useFormat();
  const options = useQuery<Options>(OPTIONS);

  const [citizenId, setCitizenId] = useState('');
  const [consumerId, setConsumerId] = useState('');
  const [purpose, setPurpose] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [records, setRecords] = useState<AuditRecord[] | null>(null);
  const [next, setNext] = useState<{ filter: Record<string, string>; after: string } | null>(null);
  /** Whether the records on screen are the newest of all (the screen opens on them), not a search's. */
  const [unfiltered, setUnfiltered] = useState(true);
  const [errors, setErrors] = useState<ApiError[]>([]);
  const [busy, setBusy] = useState(false);

  async function load(filter: Record<string, string>, after: string | null) {
    setBusy(true);
    setUnfiltered(Object.keys(filter).length === 0);
    const result = await graphql<{ auditLog: Page }>(SEARCH, { filter, after });
    setBusy(false);
    setErrors(result.errors);
    if (!result.data) return;
    const page = result.data.auditLog;
    const nodes = page.edges.map((e) => e.node);
    setRecords((before) => (after && before ? [...before, ...nodes] : nodes));
    setNext(page.pageInfo.hasNextPage && page.pageInfo.endCursor ? { filter, after: page.pageInfo.endCursor } : null);
  }

  // The screen opens on the newest records.
  useEffect(() => {
    void load({}, null);
  }, []);

  function search(event: FormEvent) {
    event.preventDefault();
    const filter: Record<string, string> = {};
    if (citizenId.trim()) filter.citizenId = citizenId.trim().toUpperCase();
    if (consumerId) filter.consumerId = consumerId;
    if (purpose) filter.purpose = purpose;
    // Dates are whole local days: from the start of `from` to the end of `to`.
    if (from) filter.from = new Date(`${from}T00:00:00`).toISOString();
    if (to) filter.to = new Date(`${to}T23:59:59.999`).toISOString();
    void load(filter, null);
  }

  return (
    <Section title={t('audit.search')}>
      <form onSubmit={search} className="row" role="search" aria-label={t('audit.searchLabel')} noValidate>
        <label>
          {t('audit.citizenId')}
          <input value={citizenId} onChange={(e) => setCitizenId(e.target.value)} inputMode="text" spellCheck={false} placeholder={t('audit.citizenIdPlaceholder')} maxLength={18} />
        </label>
        <label>
          {t('audit.consumer')}
          <select value={consumerId} onChange={(e) => setConsumerId(e.target.value)}>
            <option value="">{t('audit.any')}</option>
            {options.data?.consumers.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name} ({c.id})
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('audit.purpose')}
          <select value={purpose} onChange={(e) => setPurpose(e.target.value)}>
            <option value="">{t('audit.any')}</option>
            {options.data?.purposes.map((p) => (
              <option key={p.code} value={p.code}>
                {p.code} · {format.name(p)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('audit.from')}
          <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
        </label>
        <label>
          {t('audit.to')}
          <input type="date" value={to} onChange={(e) => setTo(e.target.value)} />
        </label>
        <div className="actions">
          <button type="submit" disabled={busy}>
            {t('audit.submit')}
          </button>
        </div>
      </form>
      <Errors errors={[...options.errors, ...errors]} title={t('audit.refused')} />
      <div role="status" className="status">
        {records && (unfiltered ? t('audit.newest', { count: records.length }) : next ? t('audit.foundMore', { count: records.length }) : t('audit.found', { count: records.length }))}
      </div>
      {records && records.length > 0 && (
        <div className="table-scroll" role="region" aria-label={t('audit.region')} tabIndex={0}>
          <table className="list audit">
            <thead>
              <tr>
                <th scope="col">{t('audit.column.when')}</th>
                <th scope="col">{t('audit.column.citizen')}</th>
                <th scope="col">{t('audit.column.consumer')}</th>
                <th scope="col">{t('audit.column.officer')}</th>
                <th scope="col">{t('audit.column.purpose')}</th>
                <th scope="col">{t('audit.column.case')}</th>
                <th scope="col">{t('audit.column.returned')}</th>
                <th scope="col">{t('audit.column.denied')}</th>
                <th scope="col">{t('audit.column.outcome')}</th>
                <th scope="col">{t('audit.column.record')}</th>
              </tr>
            </thead>
            <tbody>
              {records.map((r) => (
                <tr key={r.id}>
                  <td>
                    <When at={r.at} />
                  </td>
                  <td>
                    <code>{r.citizenId ?? r.subjectId}</code>
                  </td>
                  <td>
                    {r.consumerName ?? r.consumerId ?? '—'}
                    {r.department && (
                      <span className="muted small" title={r.department}>
                        {' · '}
                        {r.departmentName ? format.name({ name: r.departmentName, nameZh: r.departmentNameZh }) : r.department}
                      </span>
                    )}
                  </td>
                  <td>{r.officer ?? <span className="muted">—</span>}</td>
                  <td>
                    {r.purpose ?? <span className="muted">—</span>}
                    {r.purposeName && <span className="muted small"> · {format.name({ name: r.purposeName, nameZh: r.purposeNameZh })}</span>}
                  </td>
                  <td>{r.caseRef ?? <span className="muted">—</span>}</td>
                  <td>{r.fieldsReturned.join(', ') || <span className="muted">—</span>}</td>
                  <td>{r.fieldsDenied.join(', ') || <span className="muted">—</span>}</td>
                  <td>
                    <span className={`badge ${r.outcome.toLowerCase()}`}>{common(`outcome.${r.outcome}`)}</span>
                  </td>
                  <td className="small">
                    #{r.id}
                    {r.operationName && <span className="muted"> · {r.operationName}</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {next && (
        <button type="button" className="secondary" disabled={busy} onClick={() => void load(next.filter, next.after)}>
          {t('audit.loadMore')}
        </button>
      )}
    </Section>
  );
}
