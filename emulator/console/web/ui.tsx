// Small shared pieces: status badges, times, a JSON view, money, links.
import type { ComponentChildren } from 'preact';
import { lang } from './i18n';

export const fen = (n: unknown): string => (typeof n === 'number' ? `¥${(n / 100).toFixed(2)}` : '—');

export function time(v: unknown): string {
  if (v === undefined || v === null || v === '') return '—';
  const d = new Date(v as string | number);
  // China time whatever the machine's zone: the times WeChat Pay and the shop show are China time.
  return Number.isNaN(d.getTime()) ? String(v) : d.toLocaleString(lang, { hour12: false, timeZone: 'Asia/Shanghai' });
}

export function Badge({ value }: { value: unknown }) {
  const text = String(value ?? '—');
  return <span class={`badge badge-${text.toLowerCase()}`} data-testid="badge">{text}</span>;
}

export function Json({ value }: { value: unknown }) {
  return <pre class="json">{JSON.stringify(value, null, 2)}</pre>;
}

export function Section({ title, children, actions }: { title: string; children: ComponentChildren; actions?: ComponentChildren }) {
  return (
    <section class="card">
      <header class="card-head">
        <h2>{title}</h2>
        {actions}
      </header>
      {children}
    </section>
  );
}

export function Empty({ children }: { children: ComponentChildren }) {
  return <p class="empty">{children}</p>;
}

export const link = (...parts: string[]): string => `#/${parts.map(encodeURIComponent).join('/')}`;
