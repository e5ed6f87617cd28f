import { useRef, useState, type FormEvent } from 'react';
import { graphql, type ApiError } from '../api.js';
import { useQuery } from '../useQuery.js';
import { copyOrSelect, Errors, Loading, Section, When } from '../components.js';
import { RegisteredOperations } from './RegisteredOperations.js';

interface ApiKey {
  id: string;
  prefix: string;
  createdAt: string;
  createdBy: string;
  revokedAt: string | null;
}
interface Consumer {
  id: string;
  name: string;
  department: string;
  role: string;
  registeredOperationsOnly: boolean;
  createdAt: string;
  apiKeys: ApiKey[];
}

const CONSUMERS = `query ConsumersAndKeys {
  consumers { id name department role registeredOperationsOnly createdAt apiKeys { id prefix createdAt createdBy revokedAt } }
  operations { consumerId }
}`;
const CREATE = `mutation ConsoleCreateConsumer($input: ConsumerInput!) { createConsumer(input: $input) { id } }`;
const ISSUE = `mutation ConsoleIssueKey($consumerId: ID!) { issueApiKey(consumerId: $consumerId) { id consumerId key } }`;
const REVOKE = `mutation ConsoleRevokeKey($id: ID!) { revokeApiKey(id: $id) }`;

/** SPEC §4: the departments are fixed ids. The hub checks them again. */
const DEPARTMENTS = ['registry', 'licensing', 'civil-affairs', 'service-center', 'housing', 'market-regulation'];

export function Consumers() {
  const consumers = useQuery<{ consumers: Consumer[]; operations: { consumerId: string }[] }>(CONSUMERS);
  const [status, setStatus] = useState('');
  const [issued, setIssued] = useState<{ consumerId: string; key: string } | null>(null);
  /** The consumers whose operations and grants are open. */
  const [opened, setOpened] = useState<ReadonlySet<string>>(new Set());

  if (!consumers.data) return consumers.loading ? <Loading what="consumers" /> : <Errors errors={consumers.errors} title="Consumers could not be loaded." />;

  const changed = (message: string) => {
    setStatus(message);
    void consumers.reload();
  };

  const registered = new Map<string, number>();
  for (const o of consumers.data.operations) registered.set(o.consumerId, (registered.get(o.consumerId) ?? 0) + 1);
  const toggle = (id: string) =>
    setOpened((open) => {
      const next = new Set(open);
      if (!next.delete(id)) next.add(id);
      return next;
    });

  return (
    <>
      <p role="status" className="status">
        {status}
      </p>
      <CreateConsumer onCreated={(id) => changed(`Registered consumer ${id}. Issue it a key below.`)} />
      <Section title="Registered consumers">
        <ul className="consumers">
          {consumers.data.consumers.map((consumer) => (
            <li key={consumer.id} className="consumer card" data-consumer={consumer.id}>
              <div className="section-head">
                <h3>
                  {consumer.name} <span className="muted">({consumer.id})</span>
                </h3>
                <IssueKey consumer={consumer} onIssued={(key) => { setIssued({ consumerId: consumer.id, key }); changed(`Issued a new key for ${consumer.name}.`); }} />
              </div>
              <p className="muted small">
                {consumer.department} · {consumer.role} · registered <When at={consumer.createdAt} />
              </p>
              {issued?.consumerId === consumer.id && <IssuedKey secret={issued.key} onDone={() => setIssued(null)} />}
              <KeyTable consumer={consumer} onRevoked={(prefix) => changed(`Revoked key ${prefix}… of ${consumer.name}; requests with it now get UNAUTHENTICATED.`)} />
              <div className="actions">
                <button type="button" className="secondary" aria-expanded={opened.has(consumer.id)} aria-controls={`operations-panel-${consumer.id}`} onClick={() => toggle(consumer.id)}>
                  Operations ({registered.get(consumer.id) ?? 0}) and grants<span className="sr-only"> of {consumer.name}</span>
                </button>
                <span className="small muted">
                  registered operations only: <strong>{consumer.registeredOperationsOnly ? 'on' : 'off'}</strong>
                </span>
              </div>
              {opened.has(consumer.id) && <RegisteredOperations consumer={consumer} onChanged={() => void consumers.reload()} />}
            </li>
          ))}
        </ul>
      </Section>
    </>
  );
}

function CreateConsumer({ onCreated }: { onCreated(id: string): void }) {
  const [id, setId] = useState('');
  const [name, setName] = useState('');
  const [department, setDepartment] = useState(DEPARTMENTS[0]);
  const [role, setRole] = useState('CONSUMER');
  const [errors, setErrors] = useState<ApiError[]>([]);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    const result = await graphql(CREATE, { input: { id: id.trim(), name, department, role } });
    setBusy(false);
    setErrors(result.errors);
    if (result.errors.length === 0) {
      onCreated(id.trim());
      setId('');
      setName('');
    }
  }

  return (
    <Section title="Register a consumer">
      <form onSubmit={submit} className="row" noValidate>
        <label>
          Id
          <input value={id} onChange={(e) => setId(e.target.value)} placeholder="licensing-desk" spellCheck={false} aria-describedby="consumer-id-hint" />
        </label>
        <label>
          Name
          <input value={name} onChange={(e) => setName(e.target.value)} placeholder="Licensing desk" />
        </label>
        <label>
          Department
          <select value={department} onChange={(e) => setDepartment(e.target.value)}>
            {DEPARTMENTS.map((d) => (
              <option key={d}>{d}</option>
            ))}
          </select>
        </label>
        <label>
          Role
          <select value={role} onChange={(e) => setRole(e.target.value)}>
            <option value="CONSUMER">consumer (reads through grants)</option>
            <option value="STEWARD">steward (manages policy)</option>
          </select>
        </label>
        <div className="actions">
          <button type="submit" disabled={busy}>
            Register
          </button>
        </div>
      </form>
      <p id="consumer-id-hint" className="hint">
        The id is stable and appears in grants and the audit log: 3 to 64 lowercase letters, digits and dashes, starting with a letter.
      </p>
      <Errors errors={errors} title="The hub refused the consumer:" />
    </Section>
  );
}

function IssueKey({ consumer, onIssued }: { consumer: Consumer; onIssued(key: string): void }) {
  const [errors, setErrors] = useState<ApiError[]>([]);
  const [busy, setBusy] = useState(false);
  async function issue() {
    setBusy(true);
    const result = await graphql<{ issueApiKey: { key: string } }>(ISSUE, { consumerId: consumer.id });
    setBusy(false);
    setErrors(result.errors);
    if (result.data) onIssued(result.data.issueApiKey.key);
  }
  return (
    <div>
      <button type="button" className="secondary" disabled={busy} onClick={() => void issue()}>
        Issue a key<span className="sr-only"> for {consumer.name}</span>
      </button>
      <Errors errors={errors} />
    </div>
  );
}

/** The new key, shown once: the hub keeps only its hash. */
function IssuedKey({ secret, onDone }: { secret: string; onDone(): void }) {
  const [copied, setCopied] = useState<string | null>(null);
  const code = useRef<HTMLElement>(null);
  async function copy() {
    const done = await copyOrSelect(secret, code.current!);
    setCopied(done === 'copied' ? 'Copied to the clipboard.' : 'Selected: press Ctrl+C (⌘C) to copy.');
  }
  return (
    <div className="issued" role="group" aria-label="New API key">
      <p>
        <strong>Store this key now.</strong> It is shown only once; the hub keeps only a hash of it.
      </p>
      <code ref={code} className="secret" data-testid="issued-key">
        {secret}
      </code>
      <div className="actions">
        <button type="button" onClick={() => void copy()}>
          Copy key
        </button>
        <button type="button" className="secondary" onClick={onDone}>
          Done
        </button>
        <span role="status" className="small">
          {copied}
        </span>
      </div>
    </div>
  );
}

function KeyTable({ consumer, onRevoked }: { consumer: Consumer; onRevoked(prefix: string): void }) {
  const [confirming, setConfirming] = useState<string | null>(null);
  const [errors, setErrors] = useState<ApiError[]>([]);
  if (consumer.apiKeys.length === 0) return <p className="muted">No API keys.</p>;

  async function revoke(key: ApiKey) {
    const result = await graphql(REVOKE, { id: key.id });
    setConfirming(null);
    setErrors(result.errors);
    if (result.errors.length === 0) onRevoked(key.prefix);
  }

  return (
    <>
      <div className="table-scroll">
        <table className="list keys">
          <caption className="sr-only">API keys of {consumer.name}</caption>
          <thead>
            <tr>
              <th scope="col">Key</th>
              <th scope="col">Issued</th>
              <th scope="col">By</th>
              <th scope="col">State</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {consumer.apiKeys.map((key) => (
              <tr key={key.id} data-key={key.prefix}>
                <td>
                  <code>{key.prefix}…</code>
                </td>
                <td>
                  <When at={key.createdAt} />
                </td>
                <td>{key.createdBy}</td>
                <td>{key.revokedAt ? <span className="badge rejected">revoked <When at={key.revokedAt} /></span> : <span className="badge approved">active</span>}</td>
                <td className="actions">
                  {!key.revokedAt &&
                    (confirming === key.id ? (
                      <>
                        <button type="button" className="danger" onClick={() => void revoke(key)} autoFocus>
                          Confirm: revoke {key.prefix}…
                        </button>
                        <button type="button" className="secondary" onClick={() => setConfirming(null)}>
                          Keep<span className="sr-only"> key {key.prefix}…</span>
                        </button>
                      </>
                    ) : (
                      <button type="button" className="danger" onClick={() => setConfirming(key.id)}>
                        Revoke<span className="sr-only"> key {key.prefix}…</span>
                      </button>
                    ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Errors errors={errors} title="The hub refused:" />
    </>
  );
}
