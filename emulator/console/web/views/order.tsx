// One order from both sides: our document and its history (transitions + payment_events), and
// WeChat Pay's view (ledger entry, notification deliveries).
import { isPayable } from '../../../../lib/contract';
import { useData } from '../api';
import { Badge, Empty, fen, Json, Section, time } from '../ui';
import { FulfilmentSections } from './fulfilment';
import { NotificationCard } from './notifications';
import { PayButtons } from './pay';
import { RefundForm, RefundList } from './refund';
import { t } from '../i18n';

export function OrderDetail({ no, version, staffOpenid }: { no: string; version: number; staffOpenid?: string }) {
  const { data, error } = useData<{ order: any; events: any[]; refunds?: any[]; transaction: any; notifications: any[]; platform?: any }>(`/api/orders/${encodeURIComponent(no)}`, version);
  if (error) return <p class="error">{error}</p>;
  if (!data) return <p class="empty">{t('common.loading')}</p>;
  const { order, events, transaction, notifications } = data;
  const refunds = data.refunds ?? [];
  const payable = isPayable(order.status) && transaction;
  // Paid, in full or partly refunded (it stays SUCCESS until the whole total is back): refundable.
  const refundable = order.status === 'SUCCESS';
  const actions = payable ? <PayButtons outTradeNo={order._id} /> : refundable ? <RefundForm order={order} staffOpenid={staffOpenid} /> : null;
  return (
    <>
      <Section title={t('order.title', { no: order._id })} actions={actions}>
        <dl class="facts" data-testid="order-facts">
          <dt>status</dt><dd data-testid="order-status"><Badge value={order.status} /></dd>
          <dt>{t('order.amount')}</dt><dd>{fen(order.amount?.total)}{order.refundedTotal ? t('order.refunded', { amount: fen(order.refundedTotal) }) : ''}</dd>
          <dt>{t('order.customer')}</dt><dd class="mono">{order.openid}</dd>
          <dt>{t('order.items')}</dt><dd>{(order.items ?? []).map((i: any) => `${i.name} × ${i.quantity}`).join(', ')}</dd>
          <dt>{t('order.prepay')}</dt><dd class="mono small">{order.prepayId ?? '—'}{t('order.expires', { time: time(order.prepayExpiresAt) })}</dd>
          <dt>{t('order.transaction')}</dt><dd class="mono small">{order.transactionId ?? '—'}</dd>
          <dt>{t('order.createdPaid')}</dt><dd>{time(order.createdAt)} / {time(order.paidAt)}</dd>
        </dl>
      </Section>
      <FulfilmentSections order={order} platform={data.platform ?? null} />
      <RefundList refunds={refunds} />
      <Section title={t('order.history')}>
        <table data-testid="history">
          <thead><tr><th>{t('order.col.at')}</th><th>{t('order.col.what')}</th><th>{t('order.col.source')}</th><th>{t('order.col.detail')}</th></tr></thead>
          <tbody>
            {history(order, events).map((h) => (
              <tr><td class="small">{time(h.at)}</td><td>{h.what}</td><td>{h.source}</td><td class="small mono">{h.detail}</td></tr>
            ))}
          </tbody>
        </table>
      </Section>
      <Section title={t('order.simTransaction')}>
        {transaction ? (
          <dl class="facts" data-testid="sim-transaction">
            <dt>trade_state</dt><dd><Badge value={transaction.trade_state} /></dd>
            <dt>transaction_id</dt><dd class="mono">{transaction.transaction_id ?? '—'}</dd>
            <dt>success_time</dt><dd>{transaction.success_time ?? '—'}</dd>
            <dt>refunded</dt><dd>{fen(transaction.refunded)}</dd>
          </dl>
        ) : <Empty>{t('order.noPrepay')}</Empty>}
      </Section>
      <Section title={t('order.simNotifications')}>
        {notifications.length === 0 ? <Empty>{t('order.noNotification')}</Empty> : notifications.map((n) => <NotificationCard n={n} />)}
      </Section>
      <Section title={t('order.document')}><Json value={order} /></Section>
    </>
  );
}

interface HistoryRow { at: string; what: string; source: string; detail: string }

/** The order's transitions and its audit-log records, merged in time order. */
function history(order: any, events: any[]): HistoryRow[] {
  const rows: HistoryRow[] = [{ at: order.createdAt, what: t('order.created'), source: 'createOrder', detail: '' }];
  for (const t of order.transitions ?? []) rows.push({ at: t.at, what: `${t.from} → ${t.to}`, source: t.source, detail: t.transactionId ?? '' });
  for (const e of events) rows.push({ at: e.at, what: t('order.event', { kind: `${e.kind}${e.eventType ? ` ${e.eventType}` : ''}` }), source: e.source, detail: [e.tradeState, e.detail].filter(Boolean).join(' · ') });
  return rows.sort((a, b) => new Date(a.at).getTime() - new Date(b.at).getTime());
}
