import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiFailure, whoAmI } from '../api';
import type { Me } from '../types';

/** Props of {@link SignIn}. */
export interface SignInProps {
  /** Why the user is here again (expired or revoked key). */
  notice: string | null;
  onSignedIn(key: string, me: Me): void;
}

/** Sign-in with an API key: checked with `GET /v1/me` before it is kept. */
export function SignIn({ notice, onSignedIn }: SignInProps) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);

  const submit = async (e: Event) => {
    e.preventDefault();
    const trimmed = key.trim();
    if (!trimmed) {
      setError('Enter your API key.');
      input.current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      onSignedIn(trimmed, await whoAmI(trimmed));
    } catch (err) {
      const f = err instanceof ApiFailure ? err : null;
      setError(
        f?.kind === 'unauthorized'
          ? 'That key was not accepted. Check it and try again.'
          : f?.kind === 'network'
            ? `${f.message} Check that the API is running, then try again.`
            : `Signing in failed: ${f?.message ?? 'unexpected error'}`,
      );
      input.current?.select();
    } finally {
      setBusy(false);
    }
  };

  return (
    <main id="main" class="narrow">
      <h1>Sign in</h1>
      {notice && (
        <div class="notice notice-warn" role="status">
          {notice}
        </div>
      )}
      <form onSubmit={submit} noValidate>
        <label for="api-key">API key</label>
        <input
          id="api-key"
          ref={input}
          type="password"
          autocomplete="off"
          spellcheck={false}
          value={key}
          onInput={(e) => setKey(e.currentTarget.value)}
          aria-describedby="api-key-help"
          aria-invalid={error ? 'true' : undefined}
          aria-errormessage={error ? 'sign-in-error' : undefined}
        />
        <p id="api-key-help" class="muted">
          The key is kept only in this browser tab and sent as a bearer token. <code>npm start</code> prints the development keys.
        </p>
        {error && (
          <p id="sign-in-error" class="notice notice-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
