import { LocationProvider, Route, Router, useLocation } from 'preact-iso';
import type { ComponentChildren } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { ApiFailure, createApi, loadConsoleConfig, whoAmI } from './api';
import { FailureNotice } from './components/failure-notice';
import { clearDrafts } from './drafts';
import { SessionContext, hasRole, storedKey, useSession, type Session } from './session';
import type { ConsoleConfig, Me } from './types';
import { Approvals } from './views/approvals';
import { AuditPage } from './views/audit-page';
import { NewProblem } from './views/new-problem';
import { PolicyPage } from './views/policy-page';
import { ProblemList } from './views/problem-list';
import { ProblemPage } from './views/problem-page';
import { SignIn } from './views/sign-in';
import { rolesWords } from './words';

const EXPIRED = 'Your API key is no longer accepted: it may have expired or been revoked. Sign in again; anything you typed is kept.';

/** The console: sign-in gate, then the views the principal's roles allow. */
export function App() {
  const [config, setConfig] = useState<ConsoleConfig | null>(null);
  const [signedIn, setSignedIn] = useState<{ key: string; me: Me } | null>(null);
  const [restoring, setRestoring] = useState(() => storedKey.get() !== null);
  const [restoreFailure, setRestoreFailure] = useState<ApiFailure | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => void loadConsoleConfig().then(setConfig), []);

  const restore = () => {
    const key = storedKey.get();
    if (!key) return setRestoring(false);
    setRestoreFailure(null);
    whoAmI(key).then(
      (me) => {
        setSignedIn({ key, me });
        setRestoring(false);
      },
      (err: unknown) => {
        if (err instanceof ApiFailure && err.kind !== 'unauthorized') return setRestoreFailure(err);
        storedKey.clear();
        setNotice(EXPIRED);
        setRestoring(false);
      },
    );
  };
  useEffect(restore, []);

  const session = useMemo<Session | null>(() => {
    if (!signedIn || !config) return null;
    const expire = () => {
      storedKey.clear();
      setSignedIn(null);
      setNotice(EXPIRED);
    };
    const signOut = () => {
      storedKey.clear();
      clearDrafts();
      setSignedIn(null);
      setNotice('You signed out.');
    };
    return { me: signedIn.me, api: createApi(signedIn.key, expire), config, signOut };
  }, [signedIn, config]);

  if (restoring || !config) {
    return (
      <main id="main" class="narrow">
        {restoreFailure ? <FailureNotice failure={restoreFailure} doing="Checking your key" onRetry={restore} /> : <p role="status">Loading…</p>}
      </main>
    );
  }
  if (!session) {
    return (
      <SignIn
        notice={notice}
        onSignedIn={(key, me) => {
          storedKey.set(key);
          setNotice(null);
          setSignedIn({ key, me });
        }}
      />
    );
  }
  return (
    <SessionContext.Provider value={session}>
      <LocationProvider scope="/console">
        <Shell />
      </LocationProvider>
    </SessionContext.Provider>
  );
}

function focusTitle() {
  // After the new view rendered: move focus to its heading so keyboard and screen-reader users start there.
  setTimeout(() => document.getElementById('page-title')?.focus(), 0);
}

function Shell() {
  const { me, signOut } = useSession();
  const { path } = useLocation();
  const link = (href: string, label: string) => (
    <li>
      <a href={href} aria-current={path === href ? 'page' : undefined}>
        {label}
      </a>
    </li>
  );
  return (
    <>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="top">
        <p class="brand">Problem console</p>
        <nav aria-label="Main">
          <ul>
            {hasRole(me, 'submitter') && link('/console/new', 'Report a problem')}
            {link('/console/problems', hasRole(me, 'approver', 'admin') ? 'Problems' : 'My problems')}
            {hasRole(me, 'approver') && link('/console/approvals', 'Approvals')}
            {hasRole(me, 'admin') && link('/console/policy', 'Policy')}
          </ul>
        </nav>
        <div class="who">
          <span>
            Signed in as <strong data-testid="principal">{me.principal}</strong> <span class="muted">({rolesWords(me.roles)})</span>
          </span>
          <button type="button" class="secondary" onClick={signOut}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Router onRouteChange={focusTitle}>
          <Route path="/console/new" component={NewProblemRoute} />
          <Route path="/console/problems" component={ProblemList} />
          <Route path="/console/problems/:id" component={ProblemPage} />
          <Route path="/console/problems/:id/audit" component={AuditRoute} />
          <Route path="/console/approvals" component={ApprovalsRoute} />
          <Route path="/console/policy" component={PolicyRoute} />
          <Route default component={Home} />
        </Router>
      </main>
    </>
  );
}

const NewProblemRoute = () => (
  <Needs roles={['submitter']}>
    <NewProblem />
  </Needs>
);
const AuditRoute = ({ id }: { id: string }) => (
  <Needs roles={['approver', 'admin']}>
    <AuditPage id={id} />
  </Needs>
);
const ApprovalsRoute = () => (
  <Needs roles={['approver']}>
    <Approvals />
  </Needs>
);

const PolicyRoute = () => (
  <Needs roles={['admin']}>
    <PolicyPage />
  </Needs>
);

/** A view for some roles only: says which, instead of an API 403. */
function Needs({ roles, children }: { roles: string[]; children: ComponentChildren }) {
  const { me } = useSession();
  if (hasRole(me, ...roles)) return <>{children}</>;
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title" tabIndex={-1}>
        Not available
      </h1>
      <p>This page needs the {roles.join(' or ')} role; your key has {rolesWords(me.roles)}.</p>
    </section>
  );
}

/** `/console/`: the first useful view for the principal's roles; anything else is "not found". */
function Home() {
  const { me } = useSession();
  const { path, route } = useLocation();
  const isRoot = path === '/console' || path === '/console/';
  useEffect(() => {
    if (isRoot) route(hasRole(me, 'submitter') && !hasRole(me, 'approver') ? '/console/new' : hasRole(me, 'approver') ? '/console/approvals' : '/console/problems', true);
  }, [isRoot]);
  if (isRoot) return null;
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title" tabIndex={-1}>
        Page not found
      </h1>
      <p>
        There is no page at <code>{path}</code>. <a href="/console/">Go to the start page</a>.
      </p>
    </section>
  );
}
