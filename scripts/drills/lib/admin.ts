import { randomBytes } from 'node:crypto';

/**
 * The demo systems' admin token of this process's stacks (SYSTEMS_ADMIN_TOKEN, random unless set);
 * `/_admin/*` answers only with it.
 */
export function systemsAdminToken(): string {
  process.env.SYSTEMS_ADMIN_TOKEN ??= randomBytes(24).toString('base64url');
  return process.env.SYSTEMS_ADMIN_TOKEN;
}

/** `fetch` of a demo systems `/_admin/*` URL with the admin token. */
export function adminFetch(url: string, init: RequestInit = {}): Promise<Response> {
  return fetch(url, { ...init, headers: { ...(init.headers as Record<string, string> | undefined), authorization: `Bearer ${systemsAdminToken()}` } });
}
