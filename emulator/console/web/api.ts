// The browser's side of the console API: fetch helpers and the live-update hook.
import { useEffect, useState } from 'preact/hooks';

export interface Reply<T = any> {
  status: number;
  body: T;
}

export async function call<T = any>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<Reply<T>> {
  // Every POST is JSON (the server refuses anything else: see emulator/shared/guard.ts).
  const res = await fetch(path, {
    method,
    headers: method === 'POST' ? { 'content-type': 'application/json' } : {},
    body: method === 'POST' ? JSON.stringify(body ?? {}) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

/** A one-line account of an action's answer, for the flash bar. */
export function describe(r: Reply): string {
  const b = r.body;
  if (b?.error) return `${b.error.code}: ${b.error.message}`;
  if (b?.code && b?.message) return `${b.code}: ${b.message}`;
  if (b?.errCode !== undefined && b.errCode !== 0) return `errCode ${b.errCode}: ${b.errMsg}`;
  if (b?.result?.error) return `${b.result.error.code}: ${b.result.error.message}`;
  return `HTTP ${r.status}`;
}

/** Bumps whenever the server reports that something in the stack changed. */
export function useLiveVersion(): { version: number; connected: boolean } {
  const [state, setState] = useState({ version: 0, connected: false });
  useEffect(() => {
    const source = new EventSource('/api/events');
    const bump = () => setState((s) => ({ version: s.version + 1, connected: true }));
    source.addEventListener('hello', bump);
    source.addEventListener('change', bump);
    source.onerror = () => setState((s) => ({ ...s, connected: false }));
    return () => source.close();
  }, []);
  return state;
}

/** GET `path`, again whenever `version` (live updates) or the path changes. */
export function useData<T = any>(path: string | null, version: number): { data?: T; error?: string; reload(): void } {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [nonce, setNonce] = useState(0);
  useEffect(() => {
    if (!path) return;
    let live = true;
    call<T>('GET', path)
      .then((r) => {
        if (!live) return;
        if (r.status >= 400) setError(describe(r));
        else {
          setData(r.body);
          setError(undefined);
        }
      })
      .catch((e: Error) => live && setError(e.message));
    return () => {
      live = false;
    };
  }, [path, version, nonce]);
  return { data, error, reload: () => setNonce((n) => n + 1) };
}
