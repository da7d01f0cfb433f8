import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Api } from './api';
import type { ConsoleConfig, Me } from './types';

const KEY_ITEM = 'console.apiKey';

/** The API key of this tab: session storage, so it ends with the tab and never reaches disk. */
export const storedKey = {
  get: (): string | null => sessionStorage.getItem(KEY_ITEM),
  set: (key: string) => sessionStorage.setItem(KEY_ITEM, key),
  clear: () => sessionStorage.removeItem(KEY_ITEM),
};

/** The signed-in principal and the API bound to its key. */
export interface Session {
  me: Me;
  api: Api;
  config: ConsoleConfig;
  signOut(): void;
}

export const SessionContext = createContext<Session | null>(null);

/** The current session; views below the sign-in gate always have one. */
export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a signed-in console');
  return session;
}

/** Whether the principal holds one of `roles`. */
export function hasRole(me: Me, ...roles: string[]): boolean {
  return roles.some((r) => me.roles.includes(r));
}
