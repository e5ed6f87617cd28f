import { useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { graphql, type ApiError } from '../api.js';
import { useQuery } from '../useQuery.js';
import { Errors, Loading, Section, When } from '../components.js';
import { useFormat } from '../i18n.js';
import { previewLink } from './Preview.js';

interface AccessRequest {
  id: string;
  consumerId: string;
  fields: string[];
  purpose: string;
  justification: string;
  status: 'PENDING' | 'APPROVED' | 'REJECTED';
  requestedBy: string;
  requestedAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  note: string | null;
}

const REQUESTS = `query AccessRequests {
  accessRequests { id consumerId fields purpose justification status requestedBy requestedAt decidedBy decidedAt note }
  consumers { id name }
  purposes { code name nameZh }
}`;
const DECIDE = `mutation ConsoleDecide($id: ID!, $approve: Boolean!, $note: String) {
  decideAccessRequest(id: $id, approve: $approve, note: $note) { id status }
}`;

interface Purpose {
  code: string;
  name: string;
  nameZh: string;
}

export function AccessRequests() {
  const { t } = useTranslation('console');
  const format = useFormat();
  const requests = useQuery<{ accessRequests: AccessRequest[]; consumers: { id: string; name: string }[]; purposes: Purpose[] }>(REQUESTS);
  const [status, setStatus] = useState('');
  if (!requests.data) return requests.loading ? <Loading text={t('requests.loading')} /> : <Errors errors={requests.errors} title={t('requests.loadFailed')} />;

  const names = new Map(requests.data.consumers.map((c) => [c.id, c.name]));
  const purposes = new Map(requests.data.purposes.map((p) => [p.code, p]));
  /** A purpose code with its name in the page's language. */
  const purposeOf = (code: string) => {
    const purpose = purposes.get(code);
    return purpose ? `${code} · ${format.name(purpose)}` : code;
  };
  const pending = requests.data.accessRequests.filter((r) => r.status === 'PENDING');
  const decided = requests.data.accessRequests.filter((r) => r.status !== 'PENDING');
  const decidedAt = (r: AccessRequest) => (r.decidedAt ? Date.parse(r.decidedAt) : 0);
  decided.sort((a, b) => decidedAt(b) - decidedAt(a));

  return (
    <>
      <p role="status" className="status">
        {status}
      </p>
      <Section title={t('requests.pending', { count: pending.length })}>
        {pending.length === 0 ? (
          <p className="muted">{t('requests.nonePending')}</p>
        ) : (
          <ul className="requests">
            {pending.map((r) => (
              <PendingRequest
                key={r.id}
                request={r}
                consumerName={names.get(r.consumerId) ?? r.consumerId}
                purpose={purposeOf(r.purpose)}
                onDecided={(message) => {
                  setStatus(message);
                  void requests.reload();
                }}
              />
            ))}
          </ul>
        )}
      </Section>
      <Section title={t('requests.decided', { count: decided.length })}>
        {decided.length === 0 ? (
          <p className="muted">{t('requests.noneDecided')}</p>
        ) : (
          <div className="table-scroll" role="region" aria-label={t('requests.decidedRegion')} tabIndex={0}>
            <table className="list">
              <thead>
                <tr>
                  <th scope="col">{t('requests.column.consumer')}</th>
                  <th scope="col">{t('requests.column.fields')}</th>
                  <th scope="col">{t('requests.column.purpose')}</th>
                  <th scope="col">{t('requests.column.decision')}</th>
                  <th scope="col">{t('requests.column.by')}</th>
                  <th scope="col">{t('requests.column.when')}</th>
                  <th scope="col">{t('requests.column.note')}</th>
                </tr>
              </thead>
              <tbody>
                {decided.map((r) => (
                  <tr key={r.id} data-request={r.id}>
                    <td>{names.get(r.consumerId) ?? r.consumerId}</td>
                    <td>{r.fields.join(', ')}</td>
                    <td>{purposeOf(r.purpose)}</td>
                    <td>
                      <span className={`badge ${r.status.toLowerCase()}`}>{t(`requests.status.${r.status}`)}</span>
                    </td>
                    <td>{r.decidedBy}</td>
                    <td>
                      <When at={r.decidedAt} />
                    </td>
                    <td>{r.note ?? <span className="muted">—</span>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Section>
    </>
  );
}

function PendingRequest({ request, consumerName, purpose, onDecided }: { request: AccessRequest; consumerName: string; purpose: string; onDecided(message: string): void }) {
  const { t } = useTranslation('console');
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<ApiError[]>([]);
  const [busy, setBusy] = useState(false);
  const noteId = `note-${request.id}`;
  const headingId = `request-${request.id}`;

  async function decide(approve: boolean) {
    setBusy(true);
    const result = await graphql(DECIDE, { id: request.id, approve, note: note.trim() || null });
    setBusy(false);
    if (result.errors.length > 0) setErrors(result.errors);
    else onDecided(t(approve ? 'requests.approved' : 'requests.rejected', { consumer: consumerName, fields: request.fields.join(', ') }));
  }

  return (
    <li className="request card" data-request={request.id} aria-labelledby={headingId}>
      <h3 id={headingId}>
        <Trans t={t} i18nKey="requests.asks" values={{ consumer: consumerName, id: request.consumerId, fields: request.fields.join(', ') }} components={{ muted: <span className="muted" /> }} />
      </h3>
      <dl className="facts">
        <dt>{t('requests.purpose')}</dt>
        <dd>{purpose}</dd>
        <dt>{t('requests.justification')}</dt>
        <dd>{request.justification}</dd>
        <dt>{t('requests.askedBy')}</dt>
        <dd>
          {request.requestedBy}, <When at={request.requestedAt} />
        </dd>
      </dl>
      <label htmlFor={noteId}>{t('requests.note')}</label>
      <textarea id={noteId} rows={2} value={note} onChange={(e) => setNote(e.target.value)} />
      <Errors errors={errors} title={t('requests.refused')} />
      <div className="actions">
        <button type="button" disabled={busy} onClick={() => void decide(true)}>
          {t('requests.approve')}
          <span className="sr-only">{t('requests.ofConsumer', { consumer: consumerName })}</span>
        </button>
        <button type="button" className="danger" disabled={busy} onClick={() => void decide(false)}>
          {t('requests.reject')}
          <span className="sr-only">{t('requests.ofConsumer', { consumer: consumerName })}</span>
        </button>
        <a href={previewLink({ consumer: request.consumerId, purpose: request.purpose, fields: request.fields, request: request.id })}>
          {t('preview.fromRequest')}
          <span className="sr-only">{t('preview.fromRequestRest', { consumer: consumerName })}</span>
        </a>
      </div>
    </li>
  );
}
