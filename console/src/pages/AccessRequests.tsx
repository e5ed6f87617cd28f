import { useState } from 'react';
import { graphql, type ApiError } from '../api.js';
import { useQuery } from '../useQuery.js';
import { Errors, Loading, Section, When } from '../components.js';

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
}`;
const DECIDE = `mutation ConsoleDecide($id: ID!, $approve: Boolean!, $note: String) {
  decideAccessRequest(id: $id, approve: $approve, note: $note) { id status }
}`;

export function AccessRequests() {
  const requests = useQuery<{ accessRequests: AccessRequest[]; consumers: { id: string; name: string }[] }>(REQUESTS);
  const [status, setStatus] = useState('');
  if (!requests.data) return requests.loading ? <Loading what="access requests" /> : <Errors errors={requests.errors} title="Access requests could not be loaded." />;

  const names = new Map(requests.data.consumers.map((c) => [c.id, c.name]));
  const pending = requests.data.accessRequests.filter((r) => r.status === 'PENDING');
  const decided = requests.data.accessRequests.filter((r) => r.status !== 'PENDING');
  const decidedAt = (r: AccessRequest) => (r.decidedAt ? Date.parse(r.decidedAt) : 0);
  decided.sort((a, b) => decidedAt(b) - decidedAt(a));

  return (
    <>
      <p role="status" className="status">
        {status}
      </p>
      <Section title={`Pending (${pending.length})`}>
        {pending.length === 0 ? (
          <p className="muted">No request is waiting for a decision.</p>
        ) : (
          <ul className="requests">
            {pending.map((r) => (
              <PendingRequest
                key={r.id}
                request={r}
                consumerName={names.get(r.consumerId) ?? r.consumerId}
                onDecided={(message) => {
                  setStatus(message);
                  void requests.reload();
                }}
              />
            ))}
          </ul>
        )}
      </Section>
      <Section title={`Decided (${decided.length})`}>
        {decided.length === 0 ? (
          <p className="muted">No request has been decided yet.</p>
        ) : (
          <div className="table-scroll" role="region" aria-label="Decided requests (scrolls sideways)" tabIndex={0}>
            <table className="list">
              <thead>
                <tr>
                  <th scope="col">Consumer</th>
                  <th scope="col">Fields</th>
                  <th scope="col">Purpose</th>
                  <th scope="col">Decision</th>
                  <th scope="col">By</th>
                  <th scope="col">When</th>
                  <th scope="col">Note</th>
                </tr>
              </thead>
              <tbody>
                {decided.map((r) => (
                  <tr key={r.id} data-request={r.id}>
                    <td>{names.get(r.consumerId) ?? r.consumerId}</td>
                    <td>{r.fields.join(', ')}</td>
                    <td>{r.purpose}</td>
                    <td>
                      <span className={`badge ${r.status.toLowerCase()}`}>{r.status === 'APPROVED' ? 'Approved' : 'Rejected'}</span>
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

function PendingRequest({ request, consumerName, onDecided }: { request: AccessRequest; consumerName: string; onDecided(message: string): void }) {
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
    else onDecided(`${approve ? 'Approved' : 'Rejected'} the request of ${consumerName} for ${request.fields.join(', ')}.`);
  }

  return (
    <li className="request card" data-request={request.id} aria-labelledby={headingId}>
      <h3 id={headingId}>
        {consumerName} <span className="muted">({request.consumerId})</span> asks for {request.fields.join(', ')}
      </h3>
      <dl className="facts">
        <dt>Purpose</dt>
        <dd>{request.purpose}</dd>
        <dt>Justification</dt>
        <dd>{request.justification}</dd>
        <dt>Asked by</dt>
        <dd>
          {request.requestedBy}, <When at={request.requestedAt} />
        </dd>
      </dl>
      <label htmlFor={noteId}>Note to the consumer (optional)</label>
      <textarea id={noteId} rows={2} value={note} onChange={(e) => setNote(e.target.value)} />
      <Errors errors={errors} title="The hub refused the decision:" />
      <div className="actions">
        <button type="button" disabled={busy} onClick={() => void decide(true)}>
          Approve<span className="sr-only"> the request of {consumerName}</span>
        </button>
        <button type="button" className="danger" disabled={busy} onClick={() => void decide(false)}>
          Reject<span className="sr-only"> the request of {consumerName}</span>
        </button>
      </div>
    </li>
  );
}
