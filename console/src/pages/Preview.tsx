import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { graphql, type ApiError } from '../api.js';
import { useQuery } from '../useQuery.js';
import { Errors, Loading, Section, useFieldWords } from '../components.js';
import { useFormat } from '../i18n.js';
import { isMask } from './AccessMatrix.js';

interface FieldDecision {
  field: string;
  path: string;
  allowed: boolean;
  reason: string | null;
  reasonCode: string | null;
  mask: string | null;
  condition: string | null;
}
interface Options {
  consumers: { id: string; name: string; role: string }[];
  purposes: { code: string; name: string; nameZh: string }[];
  accessRequests: { id: string; consumerId: string; fields: string[]; purpose: string }[];
}

const OPTIONS = `query PreviewOptions { consumers { id name role } purposes { code name nameZh } accessRequests(status: PENDING) { id consumerId fields purpose } }`;
const PREVIEW = `query ConsolePreviewAccess($consumerId: ID!, $purpose: String, $caseRef: String, $query: String!) {
  previewAccess(consumerId: $consumerId, purpose: $purpose, caseRef: $caseRef, query: $query) { field path allowed reason reasonCode mask condition }
}`;

/** A link to this screen with its form filled in (from the access matrix, or a pending access request). */
export function previewLink(params: { consumer: string; purpose?: string; fields?: string[]; request?: string }): string {
  const search = new URLSearchParams({ consumer: params.consumer });
  if (params.purpose) search.set('purpose', params.purpose);
  if (params.fields?.length) search.set('fields', params.fields.join(','));
  if (params.request) search.set('request', params.request);
  return `#/preview?${search.toString()}`;
}

function paramsOfAddress(): URLSearchParams {
  const hash = window.location.hash;
  return new URLSearchParams(hash.includes('?') ? hash.slice(hash.indexOf('?') + 1) : '');
}

/** A sample subject for the query text: previewAccess reads no data, so any well-formed identifier does (these are the demo district's). */
const SAMPLE_CITIZEN = '610113198807150016';
const SAMPLE_ENTERPRISE = '91610113MA06A5AG5W';
/** What to select under a field that holds an object. */
const SELECTION: Record<string, string> = {
  'Citizen.address': 'address { formatted }',
  'Citizen.household': 'household { id }',
  'Citizen.licenses': 'licenses { number kind status }',
  'Citizen.cases': 'cases { number status }',
  'Citizen.enterprises': 'enterprises { id name }',
  'Household.address': 'address { formatted }',
  'Household.members': 'members { relation }',
  'HouseholdMember.citizen': 'citizen { name }',
  'Enterprise.legalRepresentative': 'legalRepresentative { name }',
  'Enterprise.cases': 'cases { number status }',
  'License.holder': 'holder { name }',
  'Case.applicant': 'applicant { name }',
  'Case.enterprise': 'enterprise { name }',
};
const DEFAULT_FIELDS = ['Citizen.name', 'Citizen.birthDate', 'Citizen.phone', 'Citizen.address', 'Citizen.household', 'Citizen.licenses'];

/** A query that reads `fields` (Type.field), each reached from citizen(id:) or enterprise(id:). */
export function sampleQuery(fields: string[]): string {
  const wanted = fields.length > 0 ? fields : DEFAULT_FIELDS;
  const of = (type: string) => wanted.filter((f) => f.startsWith(`${type}.`)).map((f) => SELECTION[f] ?? f.slice(type.length + 1));
  const citizen = of('Citizen');
  const household = of('Household');
  const members = of('HouseholdMember');
  if (members.length) household.push(`members { ${members.join(' ')} }`);
  if (household.length) citizen.push(`household { ${household.join(' ')} }`);
  if (of('License').length) citizen.push(`licenses { number ${of('License').join(' ')} }`);
  if (of('Case').length) citizen.push(`cases { number ${of('Case').join(' ')} }`);
  const enterprise = of('Enterprise');
  const roots = [
    citizen.length ? `  citizen(id: "${SAMPLE_CITIZEN}") {\n${citizen.map((f) => `    ${f}`).join('\n')}\n  }` : '',
    enterprise.length ? `  enterprise(id: "${SAMPLE_ENTERPRISE}") {\n${enterprise.map((f) => `    ${f}`).join('\n')}\n  }` : '',
  ].filter(Boolean);
  return `query Preview {\n${roots.join('\n')}\n}`;
}

/** Refusals that approving a request for the field and purpose would lift (a case condition would still apply). */
const LIFTED_BY_APPROVAL = new Set(['NO_GRANT', 'PURPOSE_NOT_GRANTED']);

/** "See as this application": previewAccess for a consumer, a purpose, a case and a query text. */
export function Preview() {
  const { t } = useTranslation('console');
  const format = useFormat();
  const options = useQuery<Options>(OPTIONS);
  const [params] = useState(paramsOfAddress);
  const askedFields = params.get('fields')?.split(',').filter(Boolean) ?? [];
  const [consumerId, setConsumerId] = useState(params.get('consumer') ?? '');
  const [purpose, setPurpose] = useState(params.get('purpose') ?? '');
  const [caseRef, setCaseRef] = useState('');
  const [query, setQuery] = useState(() => sampleQuery(askedFields));
  const [decisions, setDecisions] = useState<{ consumerId: string; purpose: string; list: FieldDecision[] } | null>(null);
  const [errors, setErrors] = useState<ApiError[]>([]);
  const [busy, setBusy] = useState(false);
  const ran = useRef(false);

  async function run() {
    const problems: ApiError[] = [];
    if (!consumerId) problems.push({ message: t('preview.noConsumer'), local: true });
    if (!query.trim()) problems.push({ message: t('preview.noQuery'), local: true });
    setErrors(problems);
    if (problems.length > 0) return;
    setBusy(true);
    const result = await graphql<{ previewAccess: FieldDecision[] }>(PREVIEW, { consumerId, purpose: purpose || null, caseRef: caseRef.trim() || null, query });
    setBusy(false);
    setErrors(result.errors);
    setDecisions(result.data ? { consumerId, purpose, list: result.data.previewAccess } : null);
  }

  // Opened from a link with an application chosen: show its preview at once (once: `run` reads the form as it is then).
  useEffect(() => {
    if (!ran.current && params.get('consumer')) {
      ran.current = true;
      void run();
    }
  }, []);

  if (!options.data) return options.loading ? <Loading text={t('preview.form')} /> : <Errors errors={options.errors} />;
  const consumers = options.data.consumers.filter((c) => c.role !== 'steward');
  const request = options.data.accessRequests.find((r) => r.id === params.get('request'));
  const consumerName = (id: string) => options.data!.consumers.find((c) => c.id === id)?.name ?? id;
  const purposeName = (code: string) => {
    const p = options.data!.purposes.find((x) => x.code === code);
    return p ? `${code} · ${format.name(p)}` : code;
  };

  function submit(event: FormEvent) {
    event.preventDefault();
    void run();
  }

  return (
    <>
      <p className="lead">{t('preview.lead')}</p>
      {request && (
        <p className="notice" data-request={request.id}>
          {t('preview.request', { consumer: consumerName(request.consumerId), fields: request.fields.join(', '), purpose: purposeName(request.purpose) })}
        </p>
      )}
      <Section title={t('preview.form')}>
        <form onSubmit={submit} className="preview-form" noValidate>
          <div className="row">
            <label>
              {t('preview.consumer')}
              <select value={consumerId} onChange={(e) => setConsumerId(e.target.value)}>
                <option value="">—</option>
                {consumers.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name} ({c.id})
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t('preview.purpose')}
              <select value={purpose} onChange={(e) => setPurpose(e.target.value)}>
                <option value="">{t('preview.noPurpose')}</option>
                {options.data.purposes.map((p) => (
                  <option key={p.code} value={p.code}>
                    {p.code} · {format.name(p)}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t('preview.caseRef')}
              <input value={caseRef} onChange={(e) => setCaseRef(e.target.value)} spellCheck={false} />
            </label>
          </div>
          <label htmlFor="preview-query">{t('preview.query')}</label>
          <textarea id="preview-query" className="code" rows={10} spellCheck={false} value={query} onChange={(e) => setQuery(e.target.value)} aria-describedby="preview-query-hint" />
          <p id="preview-query-hint" className="hint">
            {t('preview.queryHint')}
          </p>
          <Errors errors={errors} title={errors.some((e) => !e.local) ? t('preview.refused') : undefined} />
          <div className="actions">
            <button type="submit" disabled={busy}>
              {t('preview.submit')}
            </button>
            <button type="button" className="secondary" onClick={() => setQuery(sampleQuery(request?.fields ?? askedFields))}>
              {t('preview.sample')}
            </button>
          </div>
        </form>
      </Section>
      {decisions && <Decisions decisions={decisions.list} consumer={consumerName(decisions.consumerId)} asked={request && request.purpose === decisions.purpose && request.consumerId === decisions.consumerId ? request.fields : []} />}
    </>
  );
}

function Decisions({ decisions, consumer, asked }: { decisions: FieldDecision[]; consumer: string; asked: string[] }) {
  const { t } = useTranslation('console');
  const words = useFieldWords();
  const served = decisions.filter((d) => d.allowed).length;
  return (
    <Section title={t('preview.caption', { consumer })}>
      <p role="status" className="status" data-testid="preview-summary">
        {t('preview.summary', { served, count: decisions.length })}
      </p>
      <div className="table-scroll" role="region" aria-label={t('preview.region')} tabIndex={0}>
        <table className="list preview">
          <caption className="sr-only">{t('preview.caption', { consumer })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('preview.column.path')}</th>
              <th scope="col">{t('preview.column.field')}</th>
              <th scope="col">{t('preview.column.decision')}</th>
              <th scope="col">{t('preview.column.mask')}</th>
              <th scope="col">{t('preview.column.reason')}</th>
            </tr>
          </thead>
          <tbody>
            {decisions.map((d) => {
              const isAsked = asked.includes(d.field);
              const lifted = isAsked && !d.allowed && LIFTED_BY_APPROVAL.has(d.reasonCode ?? '');
              return (
                <tr key={`${d.path}|${d.field}`} data-path={d.path} data-field={d.field} data-allowed={d.allowed}>
                  <td>
                    <code className="path">{d.path}</code>
                  </td>
                  <td>
                    <code>{d.field}</code>
                    {words(d.field) !== d.field && <span className="muted small"> · {words(d.field)}</span>}
                    {isAsked && <span className="tag">{t('preview.requested')}</span>}
                  </td>
                  <td>
                    <span className={`badge ${d.allowed ? 'granted' : 'denied'}`}>{d.allowed ? t('preview.served') : t('preview.refusedMark')}</span>
                    {lifted && <span className="badge granted after-approval">{t('preview.afterApproval')}</span>}
                  </td>
                  <td>{d.mask ? (isMask(d.mask) ? `${d.mask} · ${t(`mask.${d.mask}`)}` : d.mask) : <span className="muted">—</span>}</td>
                  <td>
                    {d.reasonCode && <code>{d.reasonCode}</code>}
                    {d.condition === 'ACTIVE_CASE' && <span className="tag">{t('grant.activeCase')}</span>}
                    {d.reason && (
                      <span lang="en" className="small developer-message">
                        {' '}
                        {d.reason}
                      </span>
                    )}
                    {!d.reasonCode && !d.reason && <span className="muted">—</span>}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </Section>
  );
}
