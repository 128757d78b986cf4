// Merchant staff at work: refund a paid order in full or in part (POST /api/refund → refundOrder
// as the stack's staff openid), and the order's refunds as they move PROCESSING → SUCCESS.
import { useContext, useState } from 'preact/hooks';
import { formatYuan, MAX_REASON_LENGTH, parseYuan } from '../../../../lib/contract';
import { FlashContext, useAction } from '../flash';
import { Badge, Empty, fen, link, Section, time } from '../ui';
import { t } from '../i18n';

export function RefundForm({ order, staffOpenid }: { order: any; staffOpenid?: string }) {
  const act = useAction();
  const show = useContext(FlashContext);
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  // What refundOrder would still give back: the paid total less what earlier refunds hold.
  const left = (order.amount?.total ?? 0) - (order.refundReserved ?? order.refundedTotal ?? 0);
  const submit = async (e: Event) => {
    e.preventDefault();
    const parsed = parseYuan(amount);
    if (parsed.error) {
      const error = parsed.problem === 'BELOW_MINIMUM' ? t('refund.belowMinimum') : t('refund.notAnAmount', { text: amount });
      return show({ kind: 'error', text: t('refund.notSent', { no: order._id, error }) });
    }
    setBusy(true);
    const r = await act(t('refund.label', { no: order._id }), 'POST', '/api/refund', { outTradeNo: order._id, amount: parsed.fen, reason: reason || undefined });
    setBusy(false);
    if (r && r.status === 200) setAmount('');
  };
  return (
    <form class="row" onSubmit={submit} data-testid="refund-form">
      <label>{t('refund.amount')} <input class="narrow" inputMode="decimal" value={amount} placeholder={Number.isSafeInteger(left) && left > 0 ? formatYuan(left) : ''}
        title={t('refund.amountTitle')} onInput={(e) => setAmount((e.target as HTMLInputElement).value)} data-testid="refund-amount" /></label>
      <label>{t('refund.reason')} <input value={reason} maxLength={MAX_REASON_LENGTH} placeholder={t('refund.reasonPlaceholder')} onInput={(e) => setReason((e.target as HTMLInputElement).value)} data-testid="refund-reason" /></label>
      <button type="submit" class="danger" disabled={busy} data-testid="refund" title={staffOpenid ? t('refund.asStaff', { openid: staffOpenid }) : undefined}>{t('refund.submit')}</button>
    </form>
  );
}

export function RefundList({ refunds }: { refunds: any[] }) {
  return (
    <Section title={t('refund.title')}>
      {refunds.length === 0 ? <Empty>{t('refund.empty')}</Empty> : (
        <table data-testid="refunds-table">
          <thead><tr><th>out_refund_no</th><th>status</th><th>{t('refund.col.amount')}</th><th>{t('refund.col.reason')}</th><th>{t('refund.col.requestedBy')}</th><th>{t('refund.col.created')}</th><th>{t('refund.col.succeeded')}</th></tr></thead>
          <tbody>
            {refunds.map((r) => (
              <tr data-testid={`refund-row-${r._id}`}>
                <td><a href={link('collections', 'refunds', r._id)} class="mono small">{r._id}</a></td>
                <td><Badge value={r.status} /></td>
                <td>{fen(r.amount)}</td>
                <td>{r.reason}</td>
                <td class="mono small">{r.requestedBy}</td>
                <td class="small">{time(r.createdAt)}</td>
                <td class="small">{time(r.successTime)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Section>
  );
}
