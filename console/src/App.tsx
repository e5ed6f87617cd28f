import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { graphql, storedKey, storeKey, whenUnauthenticated, type ApiError } from './api.js';
import { Errors, SecretForm } from './components.js';
import { LanguageSwitch } from './LanguageSwitch.js';
import { AccessMatrix } from './pages/AccessMatrix.js';
import { AccessRequests } from './pages/AccessRequests.js';
import { Consumers } from './pages/Consumers.js';
import { Audit } from './pages/Audit.js';
import { Evaluation } from './pages/Evaluation.js';
import { Performance } from './pages/Performance.js';
import { Preview } from './pages/Preview.js';
import { Reports } from './pages/Reports.js';

interface Steward {
  officer: string | null;
  consumer: { id: string; name: string } | null;
}

/** The screens, each titled by `app.screen.<path>`. */
const SCREENS = [
  { path: 'access', Page: AccessMatrix },
  { path: 'preview', Page: Preview },
  { path: 'requests', Page: AccessRequests },
  { path: 'consumers', Page: Consumers },
  { path: 'audit', Page: Audit },
  { path: 'reports', Page: Reports },
  { path: 'performance', Page: Performance },
  { path: 'evaluation', Page: Evaluation },
] as const;

const ME = `query ConsoleSignIn { me { role officer consumer { id name } } }`;

/** Why a key does not open the console: the hub's errors, or a key that is not a steward's. */
type Refusal = { errors: ApiError[] } | { notSteward: { name: string | null; role: string } };

/** Checks a key with `me`: only a steward's key opens the console. */
async function signIn(key: string): Promise<{ steward: Steward } | Refusal> {
  const result = await graphql<{ me: { role: string } & Steward }>(ME, {}, key);
  if (result.errors.length > 0 || !result.data) return { errors: result.errors };
  const { role, officer, consumer } = result.data.me;
  if (role !== 'steward') return { notSteward: { name: consumer?.name ?? null, role } };
  return { steward: { officer, consumer } };
}

/** A refusal as errors to show: the hub's own, or the console's sentence in the page's language. */
function useRefusalErrors(refusal: Refusal | null): ApiError[] {
  const { t } = useTranslation('console');
  if (!refusal) return [];
  if ('errors' in refusal) return refusal.errors.length > 0 ? refusal.errors : [{ message: t('signIn.refused'), local: true }];
  const { name, role } = refusal.notSteward;
  const roleName = role === 'consumer' || role === 'citizen' || role === 'steward' ? t(`role.${role}`) : role;
  return [{ message: t('signIn.notSteward', { name: name ?? t('signIn.aCaller'), role: roleName }), local: true }];
}

/** What the sign-in page says first: signed out by the steward, or because the hub refused the key. */
type Notice = { signedOut: 'signedOut' | 'signedOutRefused' } | { refusal: Refusal };

/** The screen in the address: `#/<path>`, optionally with parameters for it (`#/preview?consumer=…`, see screenParams). */
function currentPath(): string {
  const path = window.location.hash.replace(/^#\/?/, '').split('?')[0];
  return SCREENS.some((s) => s.path === path) ? path : 'access';
}

export function App() {
  const { t, i18n } = useTranslation('console');
  const [steward, setSteward] = useState<Steward | null>(null);
  const [checking, setChecking] = useState(() => storedKey() !== null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [path, setPath] = useState(currentPath);
  const [hash, setHash] = useState(() => window.location.hash);

  useEffect(() => {
    const onHash = () => {
      setPath(currentPath());
      setHash(window.location.hash);
    };
    window.addEventListener('hashchange', onHash);
    whenUnauthenticated(() => {
      storeKey(null);
      setSteward(null);
      setNotice({ signedOut: 'signedOutRefused' });
    });
    const key = storedKey();
    if (key) {
      void signIn(key).then((outcome) => {
        if ('steward' in outcome) setSteward(outcome.steward);
        else {
          storeKey(null);
          setNotice({ refusal: outcome });
        }
        setChecking(false);
      });
    }
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  const screen = SCREENS.find((s) => s.path === path) ?? SCREENS[0];
  const title = t(`app.screen.${screen.path}`);
  useEffect(() => {
    document.title = steward ? t('app.pageTitle', { screen: title }) : t('app.signInTitle');
  }, [title, steward, t, i18n.resolvedLanguage]);

  if (checking) return <p role="status" className="muted page-status">{t('app.checking')}</p>;
  if (!steward) return <SignIn notice={notice} onSignedIn={(s) => { setNotice(null); setSteward(s); }} />;

  const { Page } = screen;
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
            {SCREENS.map((s) => (
              <li key={s.path}>
                <a href={`#/${s.path}`} aria-current={s.path === screen.path ? 'page' : undefined}>
                  {t(`app.screen.${s.path}`)}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div className="whoami">
          <span>
            <Trans t={t} i18nKey="app.signedInAs" values={{ name: steward.consumer?.name ?? t('app.aSteward') }} components={{ strong: <strong /> }} />
            {steward.officer ? ` (${steward.officer})` : ''}
          </span>
          <button type="button" className="secondary" onClick={() => { storeKey(null); setSteward(null); setNotice({ signedOut: 'signedOut' }); }}>
            {t('app.signOut')}
          </button>
          <LanguageSwitch />
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <h1>{title}</h1>
        {/* A screen opened again with other parameters (a link from another screen) starts afresh. */}
        <Page key={`${screen.path}${hash.includes('?') ? hash.slice(hash.indexOf('?')) : ''}`} />
      </main>
    </>
  );
}

function SignIn({ notice, onSignedIn }: { notice: Notice | null; onSignedIn(steward: Steward): void }) {
  const { t } = useTranslation('console');
  const [key, setKey] = useState('');
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const [missing, setMissing] = useState(false);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);
  const refusalErrors = useRefusalErrors(refusal);
  const noticeErrors = useRefusalErrors(notice && 'refusal' in notice ? notice.refusal : null);
  const problem: ApiError[] = missing ? [{ message: t('signIn.keyMissing'), local: true }] : refusalErrors;

  async function submit(event: FormEvent) {
    event.preventDefault();
    const trimmed = key.trim();
    setMissing(!trimmed);
    setRefusal(null);
    if (!trimmed) return;
    setBusy(true);
    const outcome = await signIn(trimmed);
    setBusy(false);
    if (!('steward' in outcome)) {
      setRefusal(outcome);
      input.current?.focus();
      return;
    }
    storeKey(trimmed);
    onSignedIn(outcome.steward);
  }

  return (
    <>
      <header className="signin-top">
        <LanguageSwitch />
      </header>
    <main id="main" className="signin">
      <h1>{t('signIn.heading')}</h1>
      <p>{t('signIn.lead')}</p>
      {notice && 'signedOut' in notice && (
        <p className="notice" role="status">
          {t(`app.${notice.signedOut}`)}
        </p>
      )}
      <Errors errors={noticeErrors} />
      <SecretForm
        id="steward-key"
        label={t('signIn.keyLabel')}
        hint={t('signIn.keyHint')}
        value={key}
        onChange={setKey}
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
