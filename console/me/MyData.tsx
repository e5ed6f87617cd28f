import { useCallback, useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { graphql, type ApiError } from '../src/api.js';
import { Errors, Loading, SecretForm, When } from '../src/components.js';
import { LanguageSwitch } from '../src/LanguageSwitch.js';
import { useFormat } from '../src/i18n.js';
import { ask, storedToken, storeToken, whenUnauthenticated } from './session.js';
import { AccessList, readerOf, type AccessFilter, type Department, type Report } from './AccessList.js';
import { CaseRatingPart, RATING_FIELDS, type CaseRating } from './Rating.js';

/** Why the sign-in page shows: signed out on purpose, or the hub refused the token. */
type Notice = 'signedOut' | 'expired';
type Refusal = { refused: true } | { notCitizen: string } | { errors: ApiError[] };

const SIGN_IN = `query MyPageSignIn { me { role officer } }`;

/** A token opens the page when the hub accepts it as a citizen's; `me.officer` is then the citizen's national ID (SPEC §3). */
async function signIn(token: string): Promise<{ citizenId: string } | Refusal> {
  const result = await graphql<{ me: { role: string; officer: string | null } }>(SIGN_IN, {}, token);
  if (result.status === 401) return { refused: true };
  if (!result.data) return { errors: result.errors };
  const { role, officer } = result.data.me;
  if (role !== 'citizen' || !officer) return { notCitizen: role };
  return { citizenId: officer };
}

export function MyData() {
  const { t, i18n } = useTranslation('me');
  const [citizenId, setCitizenId] = useState<string | null>(null);
  const [checking, setChecking] = useState(() => storedToken() !== null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [refusal, setRefusal] = useState<Refusal | null>(null);

  useEffect(() => {
    whenUnauthenticated(() => {
      storeToken(null);
      setCitizenId(null);
      setNotice('expired');
    });
    const token = storedToken();
    if (token) {
      void signIn(token).then((outcome) => {
        if ('citizenId' in outcome) setCitizenId(outcome.citizenId);
        else {
          storeToken(null);
          setRefusal(outcome);
        }
        setChecking(false);
      });
    }
  }, []);

  useEffect(() => {
    document.title = citizenId ? t('app.title') : t('app.signInTitle');
  }, [citizenId, t, i18n.resolvedLanguage]);

  if (checking) return <p role="status" className="muted page-status">{t('app.checking')}</p>;
  if (!citizenId)
    return (
      <SignIn
        notice={notice}
        refusal={refusal}
        onSignedIn={(id) => {
          setNotice(null);
          setRefusal(null);
          setCitizenId(id);
        }}
      />
    );
  return (
    <SignedIn
      citizenId={citizenId}
      onSignOut={() => {
        storeToken(null);
        setCitizenId(null);
        setNotice('signedOut');
      }}
    />
  );
}

function useRefusalText(refusal: Refusal | null): ApiError[] {
  const { t } = useTranslation('me');
  if (!refusal) return [];
  if ('refused' in refusal) return [{ message: t('signIn.refused'), local: true }];
  if ('notCitizen' in refusal) return [{ message: t('signIn.notCitizen', { role: refusal.notCitizen }), local: true }];
  return refusal.errors;
}

function SignIn({ notice, refusal: initial, onSignedIn }: { notice: Notice | null; refusal: Refusal | null; onSignedIn(citizenId: string): void }) {
  const { t } = useTranslation('me');
  const [token, setToken] = useState('');
  const [refusal, setRefusal] = useState<Refusal | null>(initial);
  const [missing, setMissing] = useState(false);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);
  const refused = useRefusalText(refusal);
  const problem: ApiError[] = missing ? [{ message: t('signIn.tokenMissing'), local: true }] : refused;

  async function submit(event: FormEvent) {
    event.preventDefault();
    const trimmed = token.trim();
    setMissing(!trimmed);
    setRefusal(null);
    if (!trimmed) return;
    setBusy(true);
    const outcome = await signIn(trimmed);
    setBusy(false);
    if (!('citizenId' in outcome)) {
      setRefusal(outcome);
      input.current?.focus();
      return;
    }
    storeToken(trimmed);
    onSignedIn(outcome.citizenId);
  }

  return (
    <>
      <header className="signin-top">
        <LanguageSwitch />
      </header>
      <main id="main" className="signin">
        <h1>{t('signIn.heading')}</h1>
        <p>{t('signIn.lead')}</p>
        {notice && (
          <p className="notice" role="status">
            {t(notice === 'expired' ? 'app.expired' : 'app.signedOut')}
          </p>
        )}
        <p className="muted">{t('signIn.portal')}</p>
        <SecretForm
          id="citizen-token"
          label={t('signIn.tokenLabel')}
          hint={t('signIn.tokenHint')}
          value={token}
          onChange={setToken}
          inputRef={input}
          problem={problem}
          busy={busy}
          busyText={t('signIn.busy')}
          submitText={t('signIn.submit')}
          onSubmit={submit}
        />
      </main>
    </>
  );
}

interface MyCase {
  number: string;
  status: string | null;
  submittedAt: string | null;
  dueAt: string | null;
  decidedAt: string | null;
  department: string | null;
  service: { name: string; nameZh: string } | null;
  /** The citizen's rating once given (SPEC §6a), with its follow-up. */
  rating: CaseRating | null;
}
interface Profile {
  citizen: { name: string | null; cases: MyCase[] | null; enterprises: { id: string; name: string }[] | null } | null;
  departments: Department[];
}

const PROFILE = `query MyPage($id: ID!) {
  citizen(id: $id) {
    name
    cases { number status submittedAt dueAt decidedAt department service { name nameZh } rating { ${RATING_FIELDS} } }
    enterprises { id name }
  }
  departments { id name nameZh }
}`;
const REPORTS = `query MyAccessReports {
  myAccessReports {
    id note reportedAt status resolution resolvedBy resolvedAt
    record { id at consumerName department departmentName departmentNameZh role actor fieldsReturned fieldsDenied }
  }
}`;

function SignedIn({ citizenId, onSignOut }: { citizenId: string; onSignOut(): void }) {
  const { t } = useTranslation('me');
  const [profile, setProfile] = useState<{ data: Profile | null; errors: ApiError[] } | null>(null);
  const [reports, setReports] = useState<{ data: Report[] | null; errors: ApiError[] } | null>(null);
  const [status, setStatus] = useState('');
  const [filter, setFilter] = useState<AccessFilter>({ department: '', from: '', to: '', own: false });

  const loadReports = useCallback(async () => {
    const result = await ask<{ myAccessReports: Report[] }>(REPORTS);
    setReports({ data: result.data?.myAccessReports ?? null, errors: result.errors });
  }, []);
  useEffect(() => {
    void ask<Profile>(PROFILE, { id: citizenId }).then((result) => setProfile({ data: result.data, errors: result.errors }));
    void loadReports();
  }, [citizenId, loadReports]);

  const departments = profile?.data?.departments ?? [];
  const byRecord = new Map((reports?.data ?? []).map((r) => [r.record.id, r]));
  const citizen = profile?.data?.citizen;
  /** The record just reported: its button gave way to the report's status, which takes the focus once shown. */
  const [justReported, setJustReported] = useState<string | null>(null);
  const onReported = async (recordId: string) => {
    setStatus(t('report.sent'));
    await loadReports();
    setJustReported(recordId);
  };
  const lists = { citizenId, filter, departments, reports: byRecord, onReported, justReported };

  return (
    <>
      <a className="skip-link" href="#main" onClick={(e) => { e.preventDefault(); document.getElementById('main')?.focus(); }}>
        {t('app.skip')}
      </a>
      <header className="topbar">
        <p className="brand">
          OnceGraph <span>{t('app.brand')}</span>
        </p>
        <nav aria-label={t('app.sections')}>
          <ul>
            {(['reads', 'cases', 'enterprises', 'reports'] as const).map((section) => (
              <li key={section}>
                <a href={`#${section}`} onClick={(e) => { e.preventDefault(); jumpTo(section); }}>
                  {t(`nav.${section}`)}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div className="whoami">
          <span>
            <Trans t={t} i18nKey="app.signedInAs" values={{ name: citizen?.name ?? t('app.you') }} components={{ strong: <strong /> }} />
          </span>
          <button type="button" className="secondary" onClick={onSignOut}>
            {t('app.signOut')}
          </button>
          <LanguageSwitch />
        </div>
      </header>
      <main id="main" tabIndex={-1} className="me">
        <h1>{t('app.heading')}</h1>
        <p role="status" className="status">
          {status}
        </p>
        <Part id="reads" title={t('nav.reads')}>
          <p className="lead">{t('reads.lead')}</p>
          <Filters departments={departments} filter={filter} onChange={setFilter} />
          <AccessList {...lists} />
        </Part>
        <Part id="cases" title={t('nav.cases')}>
          <p className="lead">{t('cases.lead')}</p>
          {!profile ? <Loading text={t('cases.loading')} /> : <Cases cases={citizen?.cases ?? null} departments={departments} errors={profile.errors} />}
        </Part>
        <Part id="enterprises" title={t('nav.enterprises')}>
          <p className="lead">{t('enterprises.lead')}</p>
          {profile && (citizen?.enterprises?.length ?? 0) === 0 && <p className="muted">{t('enterprises.none')}</p>}
          {citizen?.enterprises?.map((enterprise) => (
            <section key={enterprise.id} className="enterprise" aria-labelledby={`enterprise-${enterprise.id}`} data-enterprise={enterprise.id}>
              <h3 id={`enterprise-${enterprise.id}`}>{enterprise.name}</h3>
              <p className="muted small">{t('enterprises.code', { id: enterprise.id })}</p>
              <AccessList {...lists} enterpriseId={enterprise.id} />
            </section>
          ))}
        </Part>
        <Part id="reports" title={t('nav.reports')}>
          <p className="lead">{t('reports.lead')}</p>
          {!reports ? <Loading text={t('reports.loading')} /> : <Reports reports={reports.data} errors={reports.errors} departments={departments} citizenId={citizenId} />}
        </Part>
      </main>
    </>
  );
}

/** Moves to a part of the page by keyboard or pointer alike: scrolled to, and its heading focused. */
function jumpTo(section: string) {
  const heading = document.querySelector<HTMLElement>(`#${section} h2`);
  heading?.scrollIntoView({ block: 'start' });
  heading?.focus();
}

function Part({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  const headingId = useId();
  return (
    <section id={id} aria-labelledby={headingId} className="card">
      <h2 id={headingId} tabIndex={-1}>
        {title}
      </h2>
      {children}
    </section>
  );
}

function Filters({ departments, filter, onChange }: { departments: Department[]; filter: AccessFilter; onChange(filter: AccessFilter): void }) {
  const { t } = useTranslation('me');
  const format = useFormat();
  const [department, setDepartment] = useState(filter.department);
  const [from, setFrom] = useState(filter.from);
  const [to, setTo] = useState(filter.to);
  const [bad, setBad] = useState(false);

  function apply(event: FormEvent) {
    event.preventDefault();
    const wrong = Boolean(from && to && to < from);
    setBad(wrong);
    if (!wrong) onChange({ ...filter, department, from, to });
  }
  function clear() {
    setDepartment('');
    setFrom('');
    setTo('');
    setBad(false);
    onChange({ ...filter, department: '', from: '', to: '' });
  }

  return (
    <form onSubmit={apply} className="filters" role="search" aria-label={t('filter.legend')} noValidate>
      <div className="row">
        <label>
          {t('filter.department')}
          <select value={department} onChange={(e) => setDepartment(e.target.value)}>
            <option value="">{t('filter.anyDepartment')}</option>
            {departments.map((d) => (
              <option key={d.id} value={d.id}>
                {format.name(d)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('filter.from')}
          <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} aria-invalid={bad || undefined} />
        </label>
        <label>
          {t('filter.to')}
          <input type="date" value={to} onChange={(e) => setTo(e.target.value)} aria-invalid={bad || undefined} />
        </label>
        <div className="actions">
          <button type="submit">{t('filter.apply')}</button>
          <button type="button" className="secondary" onClick={clear}>
            {t('filter.clear')}
          </button>
        </div>
      </div>
      <label className="check">
        <input type="checkbox" checked={filter.own} onChange={(e) => onChange({ ...filter, own: e.target.checked })} />
        <span>{t('filter.own')}</span>
      </label>
      <Errors errors={bad ? [{ message: t('filter.badPeriod'), local: true }] : []} />
    </form>
  );
}

function Cases({ cases, departments, errors }: { cases: MyCase[] | null; departments: Department[]; errors: ApiError[] }) {
  const { t } = useTranslation('me');
  const format = useFormat();
  if (!cases) return <Errors errors={errors} title={t('cases.failed')} />;
  if (cases.length === 0) return <p className="muted">{t('cases.none')}</p>;
  const names = new Map(departments.map((d) => [d.id, d]));
  const statusName = (status: string | null) =>
    status === 'SUBMITTED' || status === 'IN_REVIEW' || status === 'APPROVED' || status === 'REJECTED' || status === 'CLOSED' ? t(`cases.statusName.${status}`) : (status ?? '—');
  return (
    <ul className="cases" aria-label={t('cases.caption')}>
      {cases.map((c) => {
        const department = c.department ? names.get(c.department) : undefined;
        return (
          <li key={c.number} className="item" data-case={c.number}>
            <h3>{c.service ? format.name(c.service) : c.number}</h3>
            <dl className="facts">
              <dt>{t('cases.number')}</dt>
              <dd>
                <code>{c.number}</code>
              </dd>
              <dt>{t('cases.status')}</dt>
              <dd>
                <span className={`badge case-${(c.status ?? '').toLowerCase()}`}>{statusName(c.status)}</span>
              </dd>
              <dt>{t('cases.department')}</dt>
              <dd>{department ? format.name(department) : (c.department ?? '—')}</dd>
              <dt>{t('cases.submitted')}</dt>
              <dd>
                <When at={c.submittedAt} />
              </dd>
              <dt>{t('cases.due')}</dt>
              <dd>
                <When at={c.dueAt} />
              </dd>
              <dt>{t('cases.decided')}</dt>
              <dd>{c.decidedAt ? <When at={c.decidedAt} /> : <span className="muted">{t('cases.notDecided')}</span>}</dd>
            </dl>
            {c.decidedAt && (
              <CaseRatingPart caseNumber={c.number} initial={c.rating} department={department ? format.name(department) : (c.department ?? t('cases.theDepartment'))} />
            )}
          </li>
        );
      })}
    </ul>
  );
}

function Reports({ reports, errors, departments, citizenId }: { reports: Report[] | null; errors: ApiError[]; departments: Department[]; citizenId: string }) {
  const { t } = useTranslation('me');
  const format = useFormat();
  if (!reports) return <Errors errors={errors} title={t('reports.failed')} />;
  if (reports.length === 0) return <p className="muted">{t('reports.none')}</p>;
  return (
    <ul className="reports">
      {reports.map((report) => (
        <li key={report.id} className="item" data-report={report.id}>
          <h3>{t('reports.about', { who: readerOf(report.record, citizenId, departments, t, format.name), when: format.dateTime(report.record.at) })}</h3>
          <dl className="facts">
            <dt>{t('reports.status')}</dt>
            <dd>
              <span className={`badge report-${report.status.toLowerCase()}`}>{t(`reports.statusName.${report.status}`)}</span>
            </dd>
            <dt>{t('reports.reportedAt')}</dt>
            <dd>
              <When at={report.reportedAt} />
            </dd>
            <dt>{t('reports.note')}</dt>
            <dd className="note">{report.note}</dd>
            {report.resolution && (
              <>
                <dt>{t('reports.resolution')}</dt>
                <dd className="note resolution">{report.resolution}</dd>
                <dt>{t('reports.resolvedBy')}</dt>
                <dd>{report.resolvedBy}</dd>
                <dt>{t('reports.resolvedAt')}</dt>
                <dd>
                  <When at={report.resolvedAt} />
                </dd>
              </>
            )}
          </dl>
        </li>
      ))}
    </ul>
  );
}
