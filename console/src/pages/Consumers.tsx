import { useRef, useState, type FormEvent } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { graphql, type ApiError } from '../api.js';
import { useQuery } from '../useQuery.js';
import { copyOrSelect, Errors, Loading, Section, When } from '../components.js';
import { useFormat } from '../i18n.js';
import { DepartmentName, type Department } from './AccessMatrix.js';
import { RegisteredOperations } from './RegisteredOperations.js';
import { GrantReview } from './GrantReview.js';

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
  departments { id name nameZh }
}`;
const CREATE = `mutation ConsoleCreateConsumer($input: ConsumerInput!) { createConsumer(input: $input) { id } }`;
const ISSUE = `mutation ConsoleIssueKey($consumerId: ID!) { issueApiKey(consumerId: $consumerId) { id consumerId key } }`;
const REVOKE = `mutation ConsoleRevokeKey($id: ID!) { revokeApiKey(id: $id) }`;

export function Consumers() {
  const { t } = useTranslation('console');
  const consumers = useQuery<{ consumers: Consumer[]; operations: { consumerId: string }[]; departments: Department[] }>(CONSUMERS);
  const [status, setStatus] = useState('');
  const [issued, setIssued] = useState<{ consumerId: string; key: string } | null>(null);
  /** The consumers whose operations and grants are open. */
  const [opened, setOpened] = useState<ReadonlySet<string>>(new Set());

  if (!consumers.data) return consumers.loading ? <Loading text={t('consumers.loading')} /> : <Errors errors={consumers.errors} title={t('consumers.loadFailed')} />;
  const departments = new Map(consumers.data.departments.map((d) => [d.id, d]));
  /** A consumer's role as the hub names it (`consumer`, `steward`), in the page's language. */
  const roleName = (role: string) => (role === 'consumer' || role === 'steward' ? t(`role.${role}`) : role);

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
      <GrantReview />
      <CreateConsumer departments={consumers.data.departments} onCreated={(id) => changed(t('consumers.created', { id }))} />
      <Section title={t('consumers.registered')}>
        <ul className="consumers">
          {consumers.data.consumers.map((consumer) => (
            <li key={consumer.id} className="consumer card" data-consumer={consumer.id}>
              <div className="section-head">
                <h3>
                  {consumer.name} <span className="muted">({consumer.id})</span>
                </h3>
                <IssueKey consumer={consumer} onIssued={(key) => { setIssued({ consumerId: consumer.id, key }); changed(t('consumers.issued', { name: consumer.name })); }} />
              </div>
              <p className="muted small">
                <DepartmentName id={consumer.department} departments={departments} /> · {roleName(consumer.role)} · {t('consumers.since')} <When at={consumer.createdAt} />
              </p>
              {issued?.consumerId === consumer.id && <IssuedKey secret={issued.key} onDone={() => setIssued(null)} />}
              <KeyTable consumer={consumer} onRevoked={(prefix) => changed(t('consumers.keyRevoked', { prefix, name: consumer.name }))} />
              <div className="actions">
                <button type="button" className="secondary" aria-expanded={opened.has(consumer.id)} aria-controls={`operations-panel-${consumer.id}`} onClick={() => toggle(consumer.id)}>
                  {t('consumers.operations', { count: registered.get(consumer.id) ?? 0 })}
                  <span className="sr-only">{t('consumers.operationsRest', { name: consumer.name })}</span>
                </button>
                <span className="small muted">
                  <Trans t={t} i18nKey="consumers.restricted" values={{ state: consumer.registeredOperationsOnly ? t('consumers.on') : t('consumers.off') }} components={{ strong: <strong /> }} />
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

function CreateConsumer({ departments, onCreated }: { departments: Department[]; onCreated(id: string): void }) {
  const { t } = useTranslation('console');
  const format = useFormat();
  const [id, setId] = useState('');
  const [name, setName] = useState('');
  const [department, setDepartment] = useState(departments[0]?.id ?? '');
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
    <Section title={t('consumers.create.title')}>
      <form onSubmit={submit} className="row" noValidate>
        <label>
          {t('consumers.create.id')}
          <input value={id} onChange={(e) => setId(e.target.value)} placeholder="licensing-desk" spellCheck={false} aria-describedby="consumer-id-hint" />
        </label>
        <label>
          {t('consumers.create.name')}
          <input value={name} onChange={(e) => setName(e.target.value)} placeholder={t('consumers.create.namePlaceholder')} />
        </label>
        <label>
          {t('consumers.create.department')}
          <select value={department} onChange={(e) => setDepartment(e.target.value)}>
            {departments.map((d) => (
              <option key={d.id} value={d.id}>
                {format.name(d)} ({d.id})
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('consumers.create.role')}
          <select value={role} onChange={(e) => setRole(e.target.value)}>
            <option value="CONSUMER">{t('consumers.create.roleConsumer')}</option>
            <option value="STEWARD">{t('consumers.create.roleSteward')}</option>
          </select>
        </label>
        <div className="actions">
          <button type="submit" disabled={busy}>
            {t('consumers.create.submit')}
          </button>
        </div>
      </form>
      <p id="consumer-id-hint" className="hint">
        {t('consumers.create.idHint')}
      </p>
      <Errors errors={errors} title={t('consumers.create.refused')} />
    </Section>
  );
}

function IssueKey({ consumer, onIssued }: { consumer: Consumer; onIssued(key: string): void }) {
  const { t } = useTranslation('console');
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
        {t('consumers.issue')}
        <span className="sr-only">{t('consumers.issueRest', { name: consumer.name })}</span>
      </button>
      <Errors errors={errors} />
    </div>
  );
}

/** The new key, shown once: the hub keeps only its hash. */
function IssuedKey({ secret, onDone }: { secret: string; onDone(): void }) {
  const { t } = useTranslation('console');
  const [copied, setCopied] = useState<string | null>(null);
  const code = useRef<HTMLElement>(null);
  async function copy() {
    const done = await copyOrSelect(secret, code.current!);
    setCopied(done === 'copied' ? t('consumers.copied') : t('consumers.selected'));
  }
  return (
    <div className="issued" role="group" aria-label={t('consumers.newKey')}>
      <p>
        <Trans t={t} i18nKey="consumers.storeNow" components={{ strong: <strong /> }} />
      </p>
      <code ref={code} className="secret" data-testid="issued-key">
        {secret}
      </code>
      <div className="actions">
        <button type="button" onClick={() => void copy()}>
          {t('consumers.copyKey')}
        </button>
        <button type="button" className="secondary" onClick={onDone}>
          {t('consumers.done')}
        </button>
        <span role="status" className="small">
          {copied}
        </span>
      </div>
    </div>
  );
}

function KeyTable({ consumer, onRevoked }: { consumer: Consumer; onRevoked(prefix: string): void }) {
  const { t } = useTranslation('console');
  const [confirming, setConfirming] = useState<string | null>(null);
  const [errors, setErrors] = useState<ApiError[]>([]);
  if (consumer.apiKeys.length === 0) return <p className="muted">{t('consumers.keys.none')}</p>;

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
          <caption className="sr-only">{t('consumers.keys.caption', { name: consumer.name })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('consumers.keys.key')}</th>
              <th scope="col">{t('consumers.keys.issued')}</th>
              <th scope="col">{t('consumers.keys.by')}</th>
              <th scope="col">{t('consumers.keys.state')}</th>
              <th scope="col">
                <span className="sr-only">{t('consumers.keys.actions')}</span>
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
                <td>
                  {key.revokedAt ? (
                    <span className="badge rejected">
                      {t('consumers.keys.revokedAt')} <When at={key.revokedAt} />
                    </span>
                  ) : (
                    <span className="badge approved">{t('consumers.keys.active')}</span>
                  )}
                </td>
                <td className="actions">
                  {!key.revokedAt &&
                    (confirming === key.id ? (
                      <>
                        <button type="button" className="danger" onClick={() => void revoke(key)} autoFocus>
                          {t('consumers.keys.confirm', { prefix: key.prefix })}
                        </button>
                        <button type="button" className="secondary" onClick={() => setConfirming(null)}>
                          {t('consumers.keys.keep')}
                          <span className="sr-only">{t('consumers.keys.keepRest', { prefix: key.prefix })}</span>
                        </button>
                      </>
                    ) : (
                      <button type="button" className="danger" onClick={() => setConfirming(key.id)}>
                        {t('consumers.keys.revoke')}
                        <span className="sr-only">{t('consumers.keys.revokeRest', { prefix: key.prefix })}</span>
                      </button>
                    ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Errors errors={errors} title={t('consumers.keys.refused')} />
    </>
  );
}
