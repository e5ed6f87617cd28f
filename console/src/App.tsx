import { useEffect, useRef, useState, type FormEvent } from 'react';
import { graphql, storedKey, storeKey, whenUnauthenticated, describeErrors } from './api.js';
import { AccessMatrix } from './pages/AccessMatrix.js';
import { AccessRequests } from './pages/AccessRequests.js';
import { Consumers } from './pages/Consumers.js';
import { Audit } from './pages/Audit.js';
import { Performance } from './pages/Performance.js';

interface Steward {
  officer: string | null;
  consumer: { id: string; name: string } | null;
}

const SCREENS = [
  { path: 'access', title: 'Access matrix', Page: AccessMatrix },
  { path: 'requests', title: 'Access requests', Page: AccessRequests },
  { path: 'consumers', title: 'Consumers and keys', Page: Consumers },
  { path: 'audit', title: 'Audit', Page: Audit },
  { path: 'performance', title: 'Service performance', Page: Performance },
] as const;

const ME = `query ConsoleSignIn { me { role officer consumer { id name } } }`;

/** Checks a key with `me`: only a steward's key opens the console. */
async function signIn(key: string): Promise<{ steward: Steward } | { problem: string }> {
  const result = await graphql<{ me: { role: string } & Steward }>(ME, {}, key);
  if (result.errors.length > 0 || !result.data) return { problem: describeErrors(result.errors).join(' ') || 'The hub did not accept the key.' };
  const { role, officer, consumer } = result.data.me;
  if (role !== 'steward') return { problem: `This key belongs to ${consumer?.name ?? 'a caller'} (role ${role}); the console needs a data steward's key.` };
  return { steward: { officer, consumer } };
}

function currentPath(): string {
  const path = window.location.hash.replace(/^#\/?/, '');
  return SCREENS.some((s) => s.path === path) ? path : 'access';
}

export function App() {
  const [steward, setSteward] = useState<Steward | null>(null);
  const [checking, setChecking] = useState(() => storedKey() !== null);
  const [notice, setNotice] = useState<string | null>(null);
  const [path, setPath] = useState(currentPath);

  useEffect(() => {
    const onHash = () => setPath(currentPath());
    window.addEventListener('hashchange', onHash);
    whenUnauthenticated((message) => {
      storeKey(null);
      setSteward(null);
      setNotice(`Signed out: ${message}`);
    });
    const key = storedKey();
    if (key) {
      void signIn(key).then((outcome) => {
        if ('steward' in outcome) setSteward(outcome.steward);
        else {
          storeKey(null);
          setNotice(outcome.problem);
        }
        setChecking(false);
      });
    }
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  const screen = SCREENS.find((s) => s.path === path) ?? SCREENS[0];
  useEffect(() => {
    document.title = steward ? `${screen.title} · OnceGraph console` : 'Sign in · OnceGraph console';
  }, [screen, steward]);

  if (checking) return <p role="status" className="muted page-status">Checking your key…</p>;
  if (!steward) return <SignIn notice={notice} onSignedIn={(s) => { setNotice(null); setSteward(s); }} />;

  const { Page } = screen;
  return (
    <>
      <a className="skip-link" href="#main" onClick={(e) => { e.preventDefault(); document.getElementById('main')?.focus(); }}>
        Skip to content
      </a>
      <header className="topbar">
        <p className="brand">
          OnceGraph <span>data steward console</span>
        </p>
        <nav aria-label="Console sections">
          <ul>
            {SCREENS.map((s) => (
              <li key={s.path}>
                <a href={`#/${s.path}`} aria-current={s.path === screen.path ? 'page' : undefined}>
                  {s.title}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div className="whoami">
          <span>
            Signed in as <strong>{steward.consumer?.name ?? 'steward'}</strong>
            {steward.officer ? ` (${steward.officer})` : ''}
          </span>
          <button type="button" className="secondary" onClick={() => { storeKey(null); setSteward(null); setNotice('Signed out.'); }}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <h1>{screen.title}</h1>
        <Page key={screen.path} />
      </main>
    </>
  );
}

function SignIn({ notice, onSignedIn }: { notice: string | null; onSignedIn(steward: Steward): void }) {
  const [key, setKey] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const trimmed = key.trim();
    if (!trimmed) {
      setProblem('Paste a steward API key (ogk_…).');
      return;
    }
    setBusy(true);
    const outcome = await signIn(trimmed);
    setBusy(false);
    if ('problem' in outcome) {
      setProblem(outcome.problem);
      input.current?.focus();
      return;
    }
    storeKey(trimmed);
    onSignedIn(outcome.steward);
  }

  return (
    <main id="main" className="signin">
      <h1>OnceGraph data steward console</h1>
      <p>Decide which application may read which citizen field, for which purpose, and review who read what.</p>
      {notice && <p className="notice" role="status">{notice}</p>}
      <form onSubmit={submit} className="card" noValidate>
        <label htmlFor="steward-key">Steward API key</label>
        <input
          id="steward-key"
          ref={input}
          type="password"
          autoComplete="off"
          spellCheck={false}
          value={key}
          onChange={(e) => setKey(e.target.value)}
          aria-describedby={problem ? 'signin-problem key-hint' : 'key-hint'}
          aria-invalid={problem ? true : undefined}
        />
        <p id="key-hint" className="hint">
          The key is kept in this tab only (session storage) and sent as the bearer token.
        </p>
        {problem && (
          <p id="signin-problem" className="errors" role="alert">
            {problem}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
