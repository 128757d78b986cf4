// Every notification WeChat Pay sent: attempts, status codes, next retry, the decrypted payload.
import { useData } from '../api';
import { useAction } from '../flash';
import { Badge, Empty, Json, link, Section, time } from '../ui';
import { t } from '../i18n';

export function Notifications({ version }: { version: number }) {
  const { data, error } = useData<{ notifications: any[] }>('/api/notifications', version);
  return (
    <Section title={t('notes.title')}>
      {error && <p class="error">{error}</p>}
      {data && data.notifications.length === 0 && <Empty>{t('notes.empty')}</Empty>}
      {data?.notifications.map((n) => <NotificationCard n={n} showOrder />)}
    </Section>
  );
}

export function NotificationCard({ n, showOrder }: { n: any; showOrder?: boolean }) {
  const act = useAction();
  return (
    <article class="note" data-testid={`notification-${n.id}`} data-state={n.state}>
      <header class="row">
        <Badge value={n.state} />
        <strong>{n.event_type}</strong>
        {n.summary && <span>{n.summary}</span>}
        {showOrder && <a href={link('orders', n.out_trade_no)} class="mono">{n.out_trade_no}</a>}
        <span class="small mono">{n.id}</span>
        <span class="grow" />
        <button onClick={() => act(t('notes.resendLabel', { id: n.id }), 'POST', `/api/notifications/${encodeURIComponent(n.id)}/resend`)} data-testid="resend">{t('notes.resend')}</button>
      </header>
      <p class="small">
        {t('notes.to')} <span class="mono">{n.notify_url}</span>{n.target ? <> → <span class="mono">{n.target}</span></> : t('notes.unroutable')}
        {n.nextAttemptAt ? <> · {t('notes.nextAttempt')} <span data-testid="next-attempt">{time(n.nextAttemptAt)}</span></> : null}
      </p>
      <table class="attempts" data-testid="attempts">
        <thead><tr><th>#</th><th>{t('notes.col.at')}</th><th>{t('notes.col.after')}</th><th>{t('notes.col.outcome')}</th><th>HTTP</th><th>{t('notes.col.note')}</th></tr></thead>
        <tbody>
          {n.attempts.map((a: any) => (
            <tr data-outcome={a.outcome}>
              <td>{a.n}</td>
              <td class="small">{time(a.at)}</td>
              <td class="small">{a.manual ? t('notes.manual') : `${a.scheduledDelaySeconds}s`}</td>
              <td><Badge value={a.outcome} /></td>
              <td class="mono">{a.statuses.join(', ') || '—'}</td>
              <td class="small">{[a.corrupted && `corrupted ${a.corrupted}`, a.probe && `probe ${a.probe.status ?? a.probe.outcome}`, a.error].filter(Boolean).join(' · ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <details>
        <summary>{t('notes.payload')}</summary>
        {n.payload ? <Json value={n.payload} /> : <p class="error">{n.payloadError}</p>}
      </details>
    </article>
  );
}
