// Orders: filter by status, open one, pay a pending one; and the customer's "create order".
import { useState } from 'preact/hooks';
import { isPayable, ORDER_STATUSES } from '../../../../lib/contract';
import { useData } from '../api';
import { useAction } from '../flash';
import { Badge, Empty, fen, link, Section, time } from '../ui';
import { PayButtons } from './pay';
import { t } from '../i18n';

const STATUSES = ['', ...ORDER_STATUSES];

export function Orders({ version }: { version: number }) {
  const [status, setStatus] = useState('');
  const { data, error } = useData<{ docs: any[] }>(`/api/collections/orders${status ? `?status=${status}` : ''}`, version);
  const filter = (
    <label class="inline">
      {t('common.status')}{' '}
      <select data-testid="status-filter" value={status} onChange={(e) => setStatus((e.target as HTMLSelectElement).value)}>
        {STATUSES.map((s) => <option value={s}>{s || t('common.all')}</option>)}
      </select>
    </label>
  );
  return (
    <>
      <CreateOrder version={version} />
      <Section title={t('orders.title')} actions={filter}>
        {error && <p class="error">{error}</p>}
        {data && data.docs.length === 0 && <Empty>{status ? t('orders.emptyStatus', { status }) : t('orders.empty')}</Empty>}
        {data && data.docs.length > 0 && (
          <table data-testid="orders-table">
            <thead><tr><th>out_trade_no</th><th>status</th><th>{t('orders.col.amount')}</th><th>{t('orders.col.customer')}</th><th>{t('orders.col.created')}</th><th>{t('orders.col.history')}</th><th /></tr></thead>
            <tbody>
              {data.docs.map((o) => (
                <tr data-testid={`order-row-${o._id}`}>
                  <td><a href={link('orders', o._id)} class="mono">{o._id}</a></td>
                  <td><Badge value={o.status} /></td>
                  <td>{fen(o.amount?.total)}</td>
                  <td class="mono small">{o.openid}</td>
                  <td class="small">{time(o.createdAt)}</td>
                  <td class="small">{o.transitions?.length ? ['NOTPAY', ...o.transitions.map((t: any) => t.to)].join(' → ') : '—'}</td>
                  <td>{isPayable(o.status) ? <PayButtons outTradeNo={o._id} compact /> : null}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Section>
    </>
  );
}

/** The customer's side: call createOrder through POST /functions/createOrder with an openid. */
function CreateOrder({ version }: { version: number }) {
  const { data } = useData<{ docs: any[] }>('/api/collections/products', version);
  const [openid, setOpenid] = useState('o-console-customer');
  const [productId, setProductId] = useState('');
  const [quantity, setQuantity] = useState(1);
  const act = useAction();
  const products = (data?.docs ?? []).filter((p) => p.active !== false);
  const chosen = productId || products[0]?._id || '';
  const submit = async (e: Event) => {
    e.preventDefault();
    await act('createOrder', 'POST', '/api/functions/createOrder', { openid, data: { items: [{ productId: chosen, quantity }] } });
  };
  return (
    <Section title={t('create.title')}>
      <form class="row" onSubmit={submit} data-testid="create-order">
        <label>openid <input value={openid} onInput={(e) => setOpenid((e.target as HTMLInputElement).value)} data-testid="openid" /></label>
        <label>{t('create.product')}{' '}
          <select value={chosen} onChange={(e) => setProductId((e.target as HTMLSelectElement).value)} data-testid="product">
            {products.map((p) => <option value={p._id}>{p.name} — {fen(p.price)}</option>)}
          </select>
        </label>
        <label>{t('create.quantity')} <input type="number" min={1} max={99} value={quantity} class="narrow" onInput={(e) => setQuantity(Number((e.target as HTMLInputElement).value))} /></label>
        <button type="submit" disabled={!chosen}>{t('create.submit')}</button>
      </form>
    </Section>
  );
}
