import { useState, type FormEvent } from 'react';
import { graphql, type ApiError } from '../api.js';
import { useQuery } from '../useQuery.js';
import { Errors, Loading, Section, When } from '../components.js';

interface AuditRecord {
  id: string;
  at: string;
  requestId: string;
  consumerId: string | null;
  consumerName: string | null;
  department: string | null;
  officer: string | null;
  purpose: string | null;
  caseRef: string | null;
  operationName: string | null;
  citizenId: string;
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

const OPTIONS = `query AuditOptions { consumers { id name } purposes { code name } }`;
const VERIFY = `query ConsoleVerifyAudit { verifyAudit { ok checked firstBrokenId problem } }`;
const SEARCH = `query ConsoleAuditSearch($filter: AuditFilter, $after: String) {
  auditLog(filter: $filter, first: 50, after: $after) {
    edges { cursor node { id at requestId consumerId consumerName department officer purpose caseRef operationName citizenId fieldsReturned fieldsDenied outcome } }
    pageInfo { hasNextPage endCursor }
  }
}`;

export function Audit() {
  return (
    <>
      <ChainStatus />
      <AuditSearch />
    </>
  );
}

function ChainStatus() {
  const verification = useQuery<{ verifyAudit: Verification }>(VERIFY);
  const v = verification.data?.verifyAudit;
  return (
    <Section
      title="Chain verification"
      actions={
        <button type="button" className="secondary" disabled={verification.loading} onClick={() => void verification.reload()}>
          Verify again
        </button>
      }
    >
      <div role="status" aria-busy={verification.loading}>
        {verification.loading && !v && <Loading what="the verification" />}
        {v &&
          (v.ok ? (
            <p className="chain ok">
              <span aria-hidden="true">✔ </span>The audit log is intact: {v.checked.toLocaleString()} records checked, every hash links to the one before.
            </p>
          ) : (
            <p className="chain broken">
              <span aria-hidden="true">✖ </span>The chain is broken at record <strong>#{v.firstBrokenId}</strong>: {v.problem ?? 'it was changed, removed or inserted'}. {v.checked.toLocaleString()} records checked.
            </p>
          ))}
        <Errors errors={verification.errors} title="The chain could not be verified." />
      </div>
    </Section>
  );
}

function AuditSearch() {
  const options = useQuery<{ consumers: { id: string; name: string }[]; purposes: { code: string; name: string }[] }>(OPTIONS);
  const [citizenId, setCitizenId] = useState('');
  const [consumerId, setConsumerId] = useState('');
  const [purpose, setPurpose] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [records, setRecords] = useState<AuditRecord[] | null>(null);
  const [next, setNext] = useState<{ filter: Record<string, string>; after: string } | null>(null);
  const [errors, setErrors] = useState<ApiError[]>([]);
  const [busy, setBusy] = useState(false);

  async function load(filter: Record<string, string>, after: string | null) {
    setBusy(true);
    const result = await graphql<{ auditLog: Page }>(SEARCH, { filter, after });
    setBusy(false);
    setErrors(result.errors);
    if (!result.data) return;
    const page = result.data.auditLog;
    const nodes = page.edges.map((e) => e.node);
    setRecords((before) => (after && before ? [...before, ...nodes] : nodes));
    setNext(page.pageInfo.hasNextPage && page.pageInfo.endCursor ? { filter, after: page.pageInfo.endCursor } : null);
  }

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
    <Section title="Search the audit log">
      <form onSubmit={search} className="row" role="search" aria-label="Audit log" noValidate>
        <label>
          Citizen ID
          <input value={citizenId} onChange={(e) => setCitizenId(e.target.value)} inputMode="text" spellCheck={false} placeholder="18 characters" maxLength={18} />
        </label>
        <label>
          Consumer
          <select value={consumerId} onChange={(e) => setConsumerId(e.target.value)}>
            <option value="">any</option>
            {options.data?.consumers.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name} ({c.id})
              </option>
            ))}
          </select>
        </label>
        <label>
          Purpose
          <select value={purpose} onChange={(e) => setPurpose(e.target.value)}>
            <option value="">any</option>
            {options.data?.purposes.map((p) => (
              <option key={p.code} value={p.code}>
                {p.code}
              </option>
            ))}
          </select>
        </label>
        <label>
          From
          <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
        </label>
        <label>
          To
          <input type="date" value={to} onChange={(e) => setTo(e.target.value)} />
        </label>
        <div className="actions">
          <button type="submit" disabled={busy}>
            Search
          </button>
        </div>
      </form>
      <Errors errors={[...options.errors, ...errors]} title="The hub refused the search:" />
      <div role="status" className="status">
        {records && `${records.length}${next ? '+' : ''} record${records.length === 1 ? '' : 's'} found.`}
      </div>
      {records && records.length > 0 && (
        <div className="table-scroll" role="region" aria-label="Audit records (scrolls sideways)" tabIndex={0}>
          <table className="list audit">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Citizen</th>
                <th scope="col">Consumer</th>
                <th scope="col">Officer</th>
                <th scope="col">Purpose</th>
                <th scope="col">Case</th>
                <th scope="col">Fields returned</th>
                <th scope="col">Fields denied</th>
                <th scope="col">Outcome</th>
                <th scope="col">Record</th>
              </tr>
            </thead>
            <tbody>
              {records.map((r) => (
                <tr key={r.id}>
                  <td>
                    <When at={r.at} />
                  </td>
                  <td>
                    <code>{r.citizenId}</code>
                  </td>
                  <td>
                    {r.consumerName ?? r.consumerId ?? '—'}
                    {r.department && <span className="muted small"> · {r.department}</span>}
                  </td>
                  <td>{r.officer ?? <span className="muted">—</span>}</td>
                  <td>{r.purpose ?? <span className="muted">—</span>}</td>
                  <td>{r.caseRef ?? <span className="muted">—</span>}</td>
                  <td>{r.fieldsReturned.join(', ') || <span className="muted">—</span>}</td>
                  <td>{r.fieldsDenied.join(', ') || <span className="muted">—</span>}</td>
                  <td>
                    <span className={`badge ${r.outcome.toLowerCase()}`}>{r.outcome}</span>
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
          Load more
        </button>
      )}
    </Section>
  );
}
