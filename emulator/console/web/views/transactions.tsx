// WeChat Pay's ledger (GET /__sim/transactions): what the payment provider believes happened.
import { isPayable } from '../../../../lib/contract';
import { useData } from '../api';
import { Badge, Empty, fen, link, Section } from '../ui';
import { PayButtons } from './pay';
import { t } from '../i18n';

export function Transactions({ version }: { version: number }) {
  const { data, error } = useData<{ transactions: any[] }>('/api/transactions', version);
  return (
    <Section title={t('tx.title')}>
      {error && <p class="error">{error}</p>}
      {data && data.transactions.length === 0 && <Empty>{t('tx.empty')}</Empty>}
      {data && data.transactions.length > 0 && (
        <table data-testid="transactions-table">
          <thead><tr><th>out_trade_no</th><th>trade_state</th><th>{t('tx.col.amount')}</th><th>transaction_id</th><th>success_time</th><th>{t('tx.col.refunds')}</th><th /></tr></thead>
          <tbody>
            {data.transactions.map((t) => (
              <tr>
                <td><a href={link('orders', t.out_trade_no)} class="mono">{t.out_trade_no}</a></td>
                <td><Badge value={t.trade_state} /></td>
                <td>{fen(t.amount?.total)}</td>
                <td class="mono small">{t.transaction_id ?? '—'}</td>
                <td class="small">{t.success_time ?? '—'}</td>
                <td class="small">{t.refunds.map((r: any) => `${r.out_refund_no} ${r.status} ${fen(r.amount)}`).join(', ') || '—'}</td>
                <td>{isPayable(t.trade_state) ? <PayButtons outTradeNo={t.out_trade_no} compact /> : null}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Section>
  );
}
