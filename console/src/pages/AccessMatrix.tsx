import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { graphql, type ApiError } from '../api.js';
import { useQuery } from '../useQuery.js';
import { Errors, Loading, When } from '../components.js';
import { useFormat } from '../i18n.js';
import { previewLink } from './Preview.js';

export interface Grant {
  id: string;
  consumerId: string;
  field: string;
  purposes: string[];
  condition: 'NONE' | 'ACTIVE_CASE';
  mask: 'NONE' | 'YEAR_ONLY' | 'PARTIAL' | 'PRESENCE';
  expiresAt: string | null;
  grantedBy: string;
  grantedAt: string;
  revokedAt: string | null;
}
interface ClassifiedField {
  name: string;
  typeName: string;
  level: string;
  grantable: boolean;
  masks: string[];
  requiresCondition: boolean;
  description: string | null;
}
interface Consumer {
  id: string;
  name: string;
  department: string;
  role: string;
}
interface Purpose {
  code: string;
  name: string;
  nameZh: string;
}
export interface Department {
  id: string;
  name: string;
  nameZh: string;
}
interface MatrixData {
  classifiedFields: ClassifiedField[];
  consumers: Consumer[];
  grants: Grant[];
  purposes: Purpose[];
  departments: Department[];
}

const MATRIX = `query AccessMatrix {
  classifiedFields { name typeName level grantable masks requiresCondition description }
  consumers { id name department role }
  grants { id consumerId field purposes condition mask expiresAt grantedBy grantedAt revokedAt }
  purposes { code name nameZh }
  departments { id name nameZh }
}`;
const GRANT = `mutation ConsoleGrant($input: GrantInput!) { grantAccess(input: $input) { id } }`;
const REVOKE = `mutation ConsoleRevokeGrant($id: ID!) { revokeGrant(id: $id) { id revokedAt } }`;

const MASKS = ['NONE', 'YEAR_ONLY', 'PARTIAL', 'PRESENCE'] as const;
const CONDITIONS = ['NONE', 'ACTIVE_CASE'] as const;
const LEVELS = ['PUBLIC', 'INTERNAL', 'PERSONAL', 'SENSITIVE'] as const;
export const isMask = (m: string): m is (typeof MASKS)[number] => (MASKS as readonly string[]).includes(m);
export const isLevel = (l: string): l is (typeof LEVELS)[number] => (LEVELS as readonly string[]).includes(l);

/** In force: not revoked, not expired (SPEC §5: an expired grant is no grant). */
export function inForce(grant: Grant, now = Date.now()): boolean {
  return !grant.revokedAt && (!grant.expiresAt || Date.parse(grant.expiresAt) > now);
}

interface Editing {
  consumer: Consumer;
  field: ClassifiedField;
  grants: Grant[];
  anchor: HTMLElement;
}

export function AccessMatrix() {
  const { t } = useTranslation('console');
  const format = useFormat();
  const matrix = useQuery<MatrixData>(MATRIX);
  const [editing, setEditing] = useState<Editing | null>(null);
  const [status, setStatus] = useState('');

  if (!matrix.data) return matrix.loading ? <Loading text={t('matrix.loading')} /> : <Errors errors={matrix.errors} title={t('matrix.loadFailed')} />;

  const { consumers, purposes } = matrix.data;
  const departments = new Map(matrix.data.departments.map((d) => [d.id, d]));
  const purposeNames = new Map(purposes.map((p) => [p.code, format.name(p)]));
  const fields = matrix.data.classifiedFields.filter((f) => f.grantable);
  const types = [...new Set(fields.map((f) => f.typeName))];
  const now = Date.now();
  const cellGrants = new Map<string, Grant[]>();
  for (const grant of matrix.data.grants.filter((g) => inForce(g, now))) {
    const key = `${grant.consumerId}|${grant.field}`;
    cellGrants.set(key, [...(cellGrants.get(key) ?? []), grant]);
  }

  return (
    <>
      <p className="lead">{t('matrix.lead')}</p>
      <p className="legend">
        <Trans t={t} i18nKey="matrix.legend" components={{ tag: <span className="tag sensitive" />, em: <em /> }} />
      </p>
      <p role="status" className="status">
        {status}
      </p>
      <Errors errors={matrix.errors} />
      <div className="matrix-scroll" role="region" aria-label={t('matrix.region')} tabIndex={0}>
        <table className="matrix">
          <caption className="sr-only">{t('matrix.caption')}</caption>
          <thead>
            <tr>
              <td className="corner" rowSpan={2} />
              {types.map((type) => (
                <th key={type} scope="colgroup" colSpan={fields.filter((f) => f.typeName === type).length} className="type-head">
                  {type}
                </th>
              ))}
            </tr>
            <tr>
              {fields.map((field) => (
                <th key={field.name} scope="col" title={field.description ?? undefined}>
                  {field.name.split('.')[1]}
                  {field.requiresCondition && (
                    <span className="tag sensitive" title={t('matrix.sensitiveTitle')}>
                      {t('matrix.sensitiveTag')}
                      <span className="sr-only">{t('matrix.sensitiveTagRest')}</span>
                    </span>
                  )}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {consumers.map((consumer) => (
              <tr key={consumer.id}>
                <th scope="row">
                  <span className="consumer-name">{consumer.name}</span>
                  <span className="consumer-meta">
                    {consumer.id} · <DepartmentName id={consumer.department} departments={departments} />
                    {consumer.role === 'steward' ? ` · ${t('role.steward')}` : ''}
                  </span>
                  {consumer.role !== 'steward' && (
                    <a className="see-as small" href={previewLink({ consumer: consumer.id })}>
                      {t('preview.seeAs')}
                      <span className="sr-only">{t('preview.seeAsRest', { consumer: consumer.name })}</span>
                    </a>
                  )}
                </th>
                {fields.map((field) => {
                  const grants = cellGrants.get(`${consumer.id}|${field.name}`) ?? [];
                  return (
                    <td key={field.name} className={grants.length ? 'granted' : 'empty'}>
                      <button
                        type="button"
                        className="cell"
                        data-consumer={consumer.id}
                        data-field={field.name}
                        onClick={(e) => setEditing({ consumer, field, grants, anchor: e.currentTarget })}
                      >
                        <span className="sr-only">{t('matrix.cell', { consumer: consumer.name, id: consumer.id, field: field.name })} </span>
                        {grants.length === 0 ? (
                          <span className="none">
                            <span aria-hidden="true">—</span>
                            <span className="sr-only">{t('matrix.noGrant')}</span>
                          </span>
                        ) : (
                          grants.map((g) => <GrantSummary key={g.id} grant={g} purposeNames={purposeNames} />)
                        )}
                      </button>
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {editing && (
        <GrantEditor
          editing={editing}
          purposes={purposes}
          onClose={(message) => {
            const anchor = editing.anchor;
            setEditing(null);
            if (message) {
              setStatus(message);
              void matrix.reload().then(() => {
                // The table re-renders; return focus to the same cell.
                document.querySelector<HTMLElement>(`button.cell[data-consumer="${editing.consumer.id}"][data-field="${editing.field.name}"]`)?.focus();
              });
            } else anchor.focus();
          }}
        />
      )}
    </>
  );
}

/** A department's name in the page's language, its id on hover (an id the hub does not know shows as it is). */
export function DepartmentName({ id, departments }: { id: string | null | undefined; departments: ReadonlyMap<string, Department> }) {
  const format = useFormat();
  if (!id) return null;
  const department = departments.get(id);
  return department ? <span title={id}>{format.name(department)}</span> : <>{id}</>;
}

/** A grant's terms in a cell: purpose codes (their names on hover), mask, condition, expiry. */
export function GrantSummary({ grant, purposeNames }: { grant: Grant; purposeNames?: ReadonlyMap<string, string> }) {
  const { t } = useTranslation('console');
  const format = useFormat();
  return (
    <span className="grant">
      <span className="purposes">
        {grant.purposes.map((code, i) => (
          <span key={code} title={purposeNames?.get(code)}>
            {i > 0 && ', '}
            <Breakable code={code} />
          </span>
        ))}
      </span>
      {grant.mask !== 'NONE' && <span className="tag">{t('grant.mask', { mask: t(`mask.${grant.mask}`) })}</span>}
      {grant.condition !== 'NONE' && <span className="tag">{t('grant.activeCase')}</span>}
      {grant.expiresAt && <span className="tag">{t('grant.until', { date: format.date(grant.expiresAt) })}</span>}
    </span>
  );
}

/** A purpose code that may wrap after its underscores (BENEFIT_/ELIGIBILITY), never inside a word. */
function Breakable({ code }: { code: string }) {
  const parts = code.split('_');
  return (
    <>
      {parts.map((part, i) => (
        <span key={i}>
          {part}
          {i < parts.length - 1 && (
            <>
              _<wbr />
            </>
          )}
        </span>
      ))}
    </>
  );
}

/** Where the editor opens: beside its cell on a wide window, centred on a narrow one. */
function placeBeside(dialog: HTMLDialogElement, anchor: HTMLElement) {
  if (window.innerWidth < 720) return;
  const cell = anchor.getBoundingClientRect();
  const { width, height } = dialog.getBoundingClientRect();
  const left = cell.right + 8 + width < window.innerWidth ? cell.right + 8 : Math.max(8, cell.left - 8 - width);
  const top = Math.min(Math.max(8, cell.top), Math.max(8, window.innerHeight - height - 8));
  Object.assign(dialog.style, { margin: '0', position: 'fixed', left: `${left}px`, top: `${top}px` });
}

function GrantEditor({ editing, purposes, onClose }: { editing: Editing; purposes: Purpose[]; onClose(message?: string): void }) {
  const { t } = useTranslation('console');
  const format = useFormat();
  const { consumer, field, grants } = editing;
  const current = grants[0];
  const dialog = useRef<HTMLDialogElement>(null);
  const [chosen, setChosen] = useState<string[]>(current?.purposes ?? []);
  const [mask, setMask] = useState<string>(current?.mask ?? 'NONE');
  const [condition, setCondition] = useState<string>(current?.condition ?? (field.requiresCondition ? 'ACTIVE_CASE' : 'NONE'));
  const [expires, setExpires] = useState(current?.expiresAt ? current.expiresAt.slice(0, 10) : '');
  const [errors, setErrors] = useState<ApiError[]>([]);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const d = dialog.current!;
    d.showModal();
    // Placed again whenever it grows (the API's errors appear in it), so that it stays within the window.
    const place = () => placeBeside(d, editing.anchor);
    const observer = new ResizeObserver(place);
    observer.observe(d);
    place();
    return () => {
      observer.disconnect();
      d.close();
    };
  }, [editing.anchor]);

  async function save(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    // Change = grant the new terms first, then revoke the old grants: a refused change leaves access as it was.
    const input = {
      consumerId: consumer.id,
      field: field.name,
      purposes: chosen,
      mask,
      condition,
      expiresAt: expires ? new Date(`${expires}T23:59:59`).toISOString() : null,
    };
    const granted = await graphql<{ grantAccess: { id: string } }>(GRANT, { input });
    if (granted.errors.length > 0) {
      setBusy(false);
      setErrors(granted.errors);
      return;
    }
    for (const old of grants) {
      const revoked = await graphql(REVOKE, { id: old.id });
      if (revoked.errors.length > 0) {
        setBusy(false);
        setErrors(revoked.errors);
        return;
      }
    }
    onClose(t(grants.length ? 'matrix.changed' : 'matrix.granted', { field: field.name, consumer: consumer.name, purposes: chosen.join(', ') }));
  }

  async function revoke(grant: Grant) {
    setBusy(true);
    const revoked = await graphql(REVOKE, { id: grant.id });
    setBusy(false);
    if (revoked.errors.length > 0) setErrors(revoked.errors);
    else onClose(t('matrix.revoked', { field: field.name, consumer: consumer.name, purposes: grant.purposes.join(', ') }));
  }

  const titleId = 'grant-editor-title';
  return (
    <dialog
      ref={dialog}
      className="editor"
      aria-labelledby={titleId}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      <h2 id={titleId}>
        <Trans t={t} i18nKey="editor.title" values={{ field: field.name, consumer: consumer.name }} components={{ muted: <span className="muted" /> }} />
      </h2>
      <p className="hint">
        {t(field.description ? 'editor.levelDescribed' : 'editor.level', { level: isLevel(field.level) ? t(`level.${field.level}`) : field.level })}
        {/* The hub describes its fields in English. */}
        {field.description && <span lang="en">{field.description}</span>}
      </p>
      {grants.length > 0 && (
        <ul className="current-grants" aria-label={t('editor.inForce')}>
          {grants.map((g) => (
            <li key={g.id}>
              <GrantSummary grant={g} />
              <span className="muted small">
                {t('editor.grantedBy', { who: g.grantedBy })} <When at={g.grantedAt} />
              </span>
              <button type="button" className="danger" disabled={busy} onClick={() => void revoke(g)}>
                {t('editor.revoke')}
                <span className="sr-only">{t('editor.revokeRest', { purposes: g.purposes.join(', ') })}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={save}>
        <fieldset>
          <legend>{t('editor.purposes')}</legend>
          <div className="checks">
            {purposes.map((p) => (
              <label key={p.code} className="check">
                <input
                  type="checkbox"
                  name="purpose"
                  value={p.code}
                  checked={chosen.includes(p.code)}
                  onChange={(e) => setChosen(e.target.checked ? [...chosen, p.code] : chosen.filter((c) => c !== p.code))}
                />
                <span>
                  {p.code} <span className="muted small">{format.name(p)}</span>
                </span>
              </label>
            ))}
          </div>
        </fieldset>
        <div className="row">
          <label>
            {t('editor.mask')}
            <select value={mask} onChange={(e) => setMask(e.target.value)} aria-describedby="mask-hint">
              {MASKS.map((m) => (
                <option key={m} value={m}>
                  {m} · {t(`mask.${m}`)}
                </option>
              ))}
            </select>
            <span id="mask-hint" className="hint">
              {t('editor.maskFits', { masks: field.masks.map((m) => (isMask(m) ? `${m} (${t(`mask.${m}`)})` : m)).join(', ') })}
            </span>
          </label>
          <label>
            {t('editor.condition')}
            <select value={condition} onChange={(e) => setCondition(e.target.value)}>
              {CONDITIONS.map((c) => (
                <option key={c} value={c}>
                  {c} · {t(`condition.${c}`)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('editor.expires')}
            <input type="date" value={expires} onChange={(e) => setExpires(e.target.value)} />
          </label>
        </div>
        <Errors errors={errors} id="grant-errors" title={t('editor.refused')} />
        <div className="actions">
          <button type="submit" disabled={busy}>
            {grants.length ? t('editor.change') : t('editor.grant')}
          </button>
          <button type="button" className="secondary" onClick={() => onClose()}>
            {t('editor.cancel')}
          </button>
        </div>
      </form>
    </dialog>
  );
}
