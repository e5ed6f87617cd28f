import { useRef, useState, type ChangeEvent, type FormEvent } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { graphql, type ApiError } from '../api.js';
import { useQuery } from '../useQuery.js';
import { copyOrSelect, Errors, Loading, When } from '../components.js';
import { GrantSummary, inForce, isLevel, isMask, type Grant } from './AccessMatrix.js';

/** The consumer as the Consumers screen loaded it. */
export interface OperationsConsumer {
  id: string;
  name: string;
  registeredOperationsOnly: boolean;
}
interface RegisteredOperation {
  id: string;
  name: string | null;
  hash: string;
  document: string;
  fields: string[];
  registeredAt: string;
  registeredBy: string;
  registeredByOfficer: string | null;
}
interface ClassifiedField {
  name: string;
  level: string;
  grantable: boolean;
  key: boolean;
}
interface PanelData {
  operations: RegisteredOperation[];
  grants: Grant[];
  classifiedFields: ClassifiedField[];
}

const PANEL = `query ConsoleConsumerOperations($consumerId: ID!) {
  operations(consumerId: $consumerId) { id name hash document fields registeredAt registeredBy registeredByOfficer }
  grants(consumerId: $consumerId) { id consumerId field purposes condition mask expiresAt grantedBy grantedAt revokedAt }
  classifiedFields { name level grantable key }
}`;
const REGISTER = `mutation ConsoleRegisterOperations($consumerId: ID!, $manifest: String!) {
  registerOperations(consumerId: $consumerId, manifest: $manifest) { id name }
}`;
const REMOVE = `mutation ConsoleRemoveOperations($consumerId: ID!, $hashes: [String!]!) {
  removeOperations(consumerId: $consumerId, hashes: $hashes) { id name removedAt }
}`;
const RESTRICT = `mutation ConsoleRestrictToRegistered($consumerId: ID!, $on: Boolean!) {
  setRegisteredOperationsOnly(consumerId: $consumerId, on: $on) { id registeredOperationsOnly }
}`;

/** How many characters of a hash tell operations apart on screen; the whole hash is on hover, in the text and on copy. */
const SHORT_HASH = 12;

/**
 * What this consumer's grants mean for one field an operation reads, decided
 * the way the hub decides it (SPEC §4, §5): a grantable field needs a live
 * grant (the request's purpose must then be one of its purposes); an entity's
 * key is echoed to a caller who asked by it; PUBLIC and INTERNAL fields, the
 * fields of the hub's own types and the roots need none; a part of an entity
 * follows the field that holds it.
 */
type Mark =
  | { kind: 'granted'; grants: Grant[] }
  | { kind: 'refused' }
  | { kind: 'key' }
  | { kind: 'free'; level: string | null }
  | { kind: 'part' };

function markOf(field: string, catalogue: ReadonlyMap<string, ClassifiedField>, grants: ReadonlyMap<string, Grant[]>): Mark {
  const classified = catalogue.get(field);
  if (!classified) return { kind: 'free', level: null };
  if (classified.grantable) {
    const live = grants.get(field);
    if (live?.length) return { kind: 'granted', grants: live };
    return classified.key ? { kind: 'key' } : { kind: 'refused' };
  }
  if (classified.level === 'PUBLIC' || classified.level === 'INTERNAL') return { kind: 'free', level: classified.level };
  return { kind: 'part' };
}

/**
 * One consumer's registered operations (SPEC §8), next to its grants: what
 * each reads and whether the consumer may read it now, the switch that
 * restricts it to them, registering a manifest, and removing an operation.
 */
export function RegisteredOperations({ consumer, onChanged }: { consumer: OperationsConsumer; onChanged(): void }) {
  const { t } = useTranslation('console');
  const panel = useQuery<PanelData>(PANEL, { consumerId: consumer.id });
  const [status, setStatus] = useState('');
  const heading = useRef<HTMLHeadingElement>(null);
  const headingId = `operations-of-${consumer.id}`;

  const changed = (message: string, focusHeading = false) => {
    setStatus(message);
    onChanged();
    void panel.reload().then(() => {
      if (focusHeading) heading.current?.focus();
    });
  };

  let body;
  if (!panel.data) body = panel.loading ? <Loading text={t('operations.loading', { name: consumer.name })} /> : <Errors errors={panel.errors} title={t('operations.loadFailed')} />;
  else {
    const now = Date.now();
    const live = panel.data.grants.filter((g) => inForce(g, now));
    const grantsByField = new Map<string, Grant[]>();
    for (const g of live) grantsByField.set(g.field, [...(grantsByField.get(g.field) ?? []), g]);
    const catalogue = new Map(panel.data.classifiedFields.map((f) => [f.name, f]));
    const { operations } = panel.data;
    body = (
      <>
        <RestrictSwitch consumer={consumer} registered={operations.length} onSet={(on) => changed(t(on ? 'operations.restrictedOn' : 'operations.restrictedOff', { name: consumer.name }))} />
        <div className="operations-layout">
          <div>
            <h5>{t('operations.grantsInForce', { count: live.length })}</h5>
            {live.length === 0 ? (
              <p className="muted small">{t('operations.noGrants')}</p>
            ) : (
              <ul className="grants-in-force" aria-label={t('operations.grantsInForceOf', { name: consumer.name })}>
                {live.map((g) => (
                  <li key={g.id}>
                    <code>{g.field}</code> <GrantSummary grant={g} />
                  </li>
                ))}
              </ul>
            )}
            <p className="small">
              <a href="#/access">{t('operations.toMatrix')}</a>
            </p>
          </div>
          <div>
            <h5>{t('operations.operationsCount', { count: operations.length })}</h5>
            <p className="legend">
              <Trans
                t={t}
                i18nKey="operations.legend"
                components={{
                  granted: <span className="mark granted" />,
                  refused: <span className="mark refused" />,
                  key: <span className="mark key" />,
                  free: <span className="mark free" />,
                }}
              />
            </p>
            {operations.length === 0 ? (
              <p className="muted">{t('operations.noOperations', { name: consumer.name })}</p>
            ) : (
              <ul className="operations">
                {operations.map((operation) => (
                  <OperationItem
                    key={operation.id}
                    consumer={consumer}
                    operation={operation}
                    marks={operation.fields.map((field) => ({ field, mark: markOf(field, catalogue, grantsByField) }))}
                    onRemoved={(what) => changed(t('operations.removed', { what, name: consumer.name }), true)}
                  />
                ))}
              </ul>
            )}
          </div>
        </div>
        <RegisterManifest consumer={consumer} onRegistered={(names) => changed(t('operations.registered', { count: names.length, name: consumer.name, names: names.join(', ') }))} />
      </>
    );
  }

  return (
    <section className="operations-panel" aria-labelledby={headingId} id={`operations-panel-${consumer.id}`} data-operations={consumer.id}>
      <h4 id={headingId} ref={heading} tabIndex={-1}>
        {t('operations.heading', { name: consumer.name })}
      </h4>
      <p role="status" className="status">
        {status}
      </p>
      {body}
    </section>
  );
}

function RestrictSwitch({ consumer, registered, onSet }: { consumer: OperationsConsumer; registered: number; onSet(on: boolean): void }) {
  const { t } = useTranslation('console');
  const [errors, setErrors] = useState<ApiError[]>([]);
  const [busy, setBusy] = useState(false);
  const on = consumer.registeredOperationsOnly;
  const hintId = `restrict-hint-${consumer.id}`;

  async function toggle() {
    if (busy) return;
    setBusy(true);
    const result = await graphql(RESTRICT, { consumerId: consumer.id, on: !on });
    setBusy(false);
    setErrors(result.errors);
    if (result.errors.length === 0) onSet(!on);
  }

  return (
    <div className="switch-row">
      {/* Never disabled while the change is on its way: a disabled button would drop the keyboard focus. */}
      <button type="button" role="switch" aria-checked={on} aria-describedby={hintId} aria-busy={busy || undefined} className="switch" onClick={() => void toggle()}>
        <span className="switch-track" aria-hidden="true">
          <span className="switch-thumb" />
        </span>
        {t('operations.switch')}
        <span className="switch-state" aria-hidden="true">
          {on ? t('operations.switchOn') : t('operations.switchOff')}
        </span>
      </button>
      <span id={hintId} className="hint">
        {t(on ? 'operations.switchHintOn' : 'operations.switchHintOff', { name: consumer.name })}
        {!on && registered === 0 && t('operations.switchHintEmpty')}
      </span>
      <Errors errors={errors} title={t('operations.switchRefused')} />
    </div>
  );
}

function OperationItem({
  consumer,
  operation,
  marks,
  onRemoved,
}: {
  consumer: OperationsConsumer;
  operation: RegisteredOperation;
  marks: { field: string; mark: Mark }[];
  onRemoved(what: string): void;
}) {
  const { t } = useTranslation('console');
  const [confirming, setConfirming] = useState(false);
  const [errors, setErrors] = useState<ApiError[]>([]);
  const [busy, setBusy] = useState(false);
  const [copied, setCopied] = useState('');
  const hashCode = useRef<HTMLElement>(null);
  const label = operation.name ?? t('operations.anonymous');
  const titleId = `operation-${operation.id}`;
  const refused = marks.filter((m) => m.mark.kind === 'refused').map((m) => m.field);
  const keys = marks.filter((m) => m.mark.kind === 'key').map((m) => m.field);

  async function copy() {
    // Without clipboard permission the whole hash (shown under "Operation text") is selected instead.
    const done = await copyOrSelect(operation.hash, hashCode.current!);
    setCopied(done === 'copied' ? t('operations.hashCopied') : t('operations.selected'));
  }

  async function remove() {
    setBusy(true);
    const result = await graphql(REMOVE, { consumerId: consumer.id, hashes: [operation.hash] });
    setBusy(false);
    setConfirming(false);
    setErrors(result.errors);
    if (result.errors.length === 0) onRemoved(label);
  }

  return (
    <li className="operation" data-operation={operation.hash} aria-labelledby={titleId}>
      <div className="section-head">
        <h6 id={titleId}>{label}</h6>
        <span className={`badge ${refused.length > 0 ? 'rejected' : 'approved'}`} data-testid="verdict">
          {refused.length > 0
            ? t('operations.verdict.refused', { fields: refused.join(', ') })
            : !marks.some((m) => m.mark.kind === 'granted' || m.mark.kind === 'key')
              ? t('operations.verdict.noPersonal')
              : keys.length > 0
                ? t('operations.verdict.keys', { fields: keys.join(', ') })
                : t('operations.verdict.granted')}
        </span>
      </div>
      <dl className="facts">
        <dt>{t('operations.hash')}</dt>
        <dd>
          <code title={operation.hash}>{operation.hash.slice(0, SHORT_HASH)}…</code>{' '}
          <button type="button" className="secondary small-button" onClick={() => void copy()}>
            {t('operations.copyHash')}
            <span className="sr-only">{t('operations.copyHashRest', { name: label })}</span>
          </button>{' '}
          <span role="status" className="small">
            {copied}
          </span>
        </dd>
        <dt>{t('operations.registeredAt')}</dt>
        <dd>
          <When at={operation.registeredAt} /> {t('operations.registeredBy', { who: operation.registeredBy })}
          {operation.registeredByOfficer ? ` (${operation.registeredByOfficer})` : ''}
        </dd>
        <dt>{t('operations.reads')}</dt>
        <dd>
          <ul className="fields-read" aria-label={t('operations.fieldsOf', { name: label })}>
            {marks.map(({ field, mark }) => (
              <li key={field} data-field={field} data-mark={mark.kind}>
                <code>{field}</code> <FieldMark mark={mark} />
              </li>
            ))}
          </ul>
        </dd>
      </dl>
      <details>
        <summary>{t('operations.text')}</summary>
        <p className="small">
          {t('operations.sha256')} <code ref={hashCode} className="full-hash">{operation.hash}</code>
        </p>
        <pre className="document">
          <code>{operation.document}</code>
        </pre>
      </details>
      <Errors errors={errors} title={t('operations.removeRefused')} />
      <div className="actions">
        {confirming ? (
          <>
            <button type="button" className="danger" disabled={busy} onClick={() => void remove()} autoFocus>
              {t('operations.confirmRemove', { name: label })}
            </button>
            <button type="button" className="secondary" onClick={() => setConfirming(false)}>
              {t('operations.keep')}
              <span className="sr-only">{t('operations.keepRest', { name: label })}</span>
            </button>
            <span className="hint">{t('operations.removeHint')}</span>
          </>
        ) : (
          <button type="button" className="danger" onClick={() => setConfirming(true)}>
            {t('operations.remove')}
            <span className="sr-only">{t('operations.removeRest', { name: label })}</span>
          </button>
        )}
      </div>
    </li>
  );
}

function FieldMark({ mark }: { mark: Mark }) {
  const { t } = useTranslation('console');
  switch (mark.kind) {
    case 'granted': {
      const terms = mark.grants.map(
        (g) =>
          g.purposes.join(', ') +
          (g.mask !== 'NONE' ? t('operations.mark.grantMask', { mask: isMask(g.mask) ? t(`mask.${g.mask}`) : g.mask }) : '') +
          (g.condition !== 'NONE' ? t('operations.mark.grantActiveCase') : ''),
      );
      return <span className="mark granted">{t('operations.mark.granted', { grants: terms.join('; ') })}</span>;
    }
    case 'refused':
      return <span className="mark refused">{t('operations.mark.refused')}</span>;
    case 'key':
      return <span className="mark key">{t('operations.mark.key')}</span>;
    case 'free':
      return (
        <span className="mark free">
          {mark.level ? t('operations.mark.freeLevel', { level: isLevel(mark.level) ? t(`level.${mark.level}`) : mark.level }) : t('operations.mark.free')}
        </span>
      );
    case 'part':
      return <span className="mark free">{t('operations.mark.part')}</span>;
  }
}

/** A manifest pasted or read from a file; the hub checks it in full and registers nothing unless all is well. */
function RegisterManifest({ consumer, onRegistered }: { consumer: OperationsConsumer; onRegistered(names: string[]): void }) {
  const { t } = useTranslation('console');
  const [manifest, setManifest] = useState('');
  const [loaded, setLoaded] = useState('');
  const [errors, setErrors] = useState<ApiError[]>([]);
  const [busy, setBusy] = useState(false);
  const textId = `manifest-${consumer.id}`;
  const fileId = `manifest-file-${consumer.id}`;
  const hintId = `manifest-hint-${consumer.id}`;
  const errorsId = `manifest-errors-${consumer.id}`;

  async function choose(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    if (!file) return;
    setManifest(await file.text());
    setLoaded(t('operations.manifest.loaded', { file: file.name }));
    setErrors([]);
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!manifest.trim()) {
      setErrors([{ message: t('operations.manifest.empty'), local: true }]);
      return;
    }
    if (busy) return;
    setBusy(true);
    const result = await graphql<{ registerOperations: { name: string | null }[] }>(REGISTER, { consumerId: consumer.id, manifest });
    setBusy(false);
    setErrors(result.errors);
    if (result.data && result.errors.length === 0) {
      setManifest('');
      setLoaded('');
      onRegistered(result.data.registerOperations.map((o) => o.name ?? t('operations.anonymousShort')));
    }
  }

  return (
    <form className="register-manifest" onSubmit={submit} noValidate aria-labelledby={`register-title-${consumer.id}`}>
      <h5 id={`register-title-${consumer.id}`}>{t('operations.manifest.title')}</h5>
      <p id={hintId} className="hint">
        {t('operations.manifest.hint')}
      </p>
      <label htmlFor={fileId}>{t('operations.manifest.file')}</label>
      <input id={fileId} type="file" accept=".json,application/json" onChange={(e) => void choose(e)} />
      <label htmlFor={textId}>{t('operations.manifest.text')}</label>
      <textarea
        id={textId}
        rows={6}
        spellCheck={false}
        value={manifest}
        onChange={(e) => setManifest(e.target.value)}
        aria-describedby={errors.length ? `${hintId} ${errorsId}` : hintId}
        aria-invalid={errors.length ? true : undefined}
      />
      <span role="status" className="small">
        {loaded}
      </span>
      <Errors errors={errors} id={errorsId} title={t('operations.manifest.refused')} />
      <div className="actions">
        <button type="submit" aria-busy={busy || undefined}>
          {t('operations.manifest.submit')}
          <span className="sr-only">{t('operations.manifest.submitRest', { name: consumer.name })}</span>
        </button>
      </div>
    </form>
  );
}
