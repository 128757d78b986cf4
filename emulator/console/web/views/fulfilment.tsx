// After the payment: our fulfilment record (PENDING → SHIPPED → CONFIRMED → SETTLED) and the
// mini-program platform's view of the same order (待发货 → 已发货 → 交易完成), with the staff's Ship
// action and the developer playing the customer (confirm receipt) or the platform's clock (auto-confirm).
import { useState } from 'preact/hooks';
import { useAction } from '../flash';
import { Badge, Empty, Section, time } from '../ui';
import { t } from '../i18n';

// The platform's order_state numbers; the Chinese names are WeChat's own (发货信息管理), kept in both languages.
const PLATFORM_STATES: Record<number, string> = { 1: '1 待发货', 2: '2 已发货', 3: '3 确认收货', 4: '4 交易完成' };

export function ShipForm({ order }: { order: any }) {
  const act = useAction();
  const [trackingNo, setTrackingNo] = useState('');
  const [company, setCompany] = useState('YTO');
  const kind = order.fulfilment?.kind ?? order.deliveryKind ?? 'express';
  const submit = async (e: Event) => {
    e.preventDefault();
    await act(t('ship.label', { no: order._id }), 'POST', '/api/ship', kind === 'express' ? { outTradeNo: order._id, trackingNo, expressCompany: company } : { outTradeNo: order._id });
  };
  return (
    <form class="row" onSubmit={submit} data-testid="ship-form">
      {kind === 'express' ? (
        <>
          <label>{t('ship.trackingNo')} <input value={trackingNo} onInput={(e) => setTrackingNo((e.target as HTMLInputElement).value)} data-testid="ship-tracking" /></label>
          <label>{t('ship.company')} <input class="narrow" value={company} onInput={(e) => setCompany((e.target as HTMLInputElement).value)} data-testid="ship-company" /></label>
        </>
      ) : null}
      <button type="submit" data-testid="ship">{kind === 'express' ? t('ship.submit') : t('ship.markDelivered', { kind })}</button>
    </form>
  );
}

export function ReceiptButtons({ outTradeNo }: { outTradeNo: string }) {
  const act = useAction();
  return (
    <span class="row">
      <button onClick={() => act(t('receipt.confirmLabel', { no: outTradeNo }), 'POST', '/api/receipt', { outTradeNo, by: 'customer' })} data-testid="confirm-receipt">{t('receipt.confirm')}</button>
      <button onClick={() => act(t('receipt.autoLabel', { no: outTradeNo }), 'POST', '/api/receipt', { outTradeNo, by: 'auto' })} data-testid="auto-confirm">{t('receipt.auto')}</button>
    </span>
  );
}

export function FulfilmentSections({ order, platform }: { order: any; platform: any }) {
  const f = order.fulfilment;
  const paid = order.status === 'SUCCESS';
  const shippable = paid && (!f || f.status === 'PENDING' || (f.status === 'SHIPPED' && (f.uploads ?? 0) < 2));
  const actions = paid ? <>{shippable ? <ShipForm order={order} /> : null}{platform?.state === 2 ? <ReceiptButtons outTradeNo={order._id} /> : null}</> : null;
  return (
    <>
      <Section title={t('fulfilment.title')} actions={actions}>
        {!f ? <Empty>{paid ? t('fulfilment.notShipped', { kind: order.deliveryKind ?? 'express' }) : t('fulfilment.unpaid')}</Empty> : (
          <dl class="facts" data-testid="fulfilment">
            <dt>status</dt><dd data-testid="fulfilment-status"><Badge value={f.status} /></dd>
            <dt>{t('fulfilment.kind')}</dt><dd>{f.kind}</dd>
            <dt>{t('fulfilment.parcels')}</dt><dd>{(f.shipments?.at(-1)?.parcels ?? []).map((p: any) => [p.expressCompany, p.trackingNo].filter(Boolean).join(' ') || p.itemDesc).join('; ') || '—'}</dd>
            <dt>{t('fulfilment.uploadOwed')}</dt><dd>{f.outbox ? t('fulfilment.owedYes', { attempts: f.outbox.attempts, errcode: f.outbox.lastErrcode ?? '—' }) : t('fulfilment.owedNo')}</dd>
            <dt>{t('fulfilment.history')}</dt><dd class="small">{(f.history ?? []).map((h: any) => `${h.from}→${h.to} (${h.source}${h.errcode ? ` ${h.errcode}` : ''}) ${time(h.at)}`).join('; ') || '—'}</dd>
            {f.lastRefusal ? <><dt>{t('fulfilment.lastRefusal')}</dt><dd class="error">{f.lastRefusal.errcode}: {f.lastRefusal.message}</dd></> : null}
          </dl>
        )}
      </Section>
      <Section title={t('platform.title')}>
        {!platform ? <Empty>{t('platform.none')}</Empty> : (
          <dl class="facts" data-testid="platform-order">
            <dt>order_state</dt><dd data-testid="platform-state">{PLATFORM_STATES[platform.state] ?? platform.state}</dd>
            <dt>uploads</dt><dd>{t('platform.uploads', { uploads: platform.uploads })}</dd>
            <dt>{t('platform.logistics')}</dt><dd>{platform.shipping ? `type ${platform.shipping.logistics_type}, mode ${platform.shipping.delivery_mode}, upload_time ${platform.shipping.upload_time}` : '—'}</dd>
            <dt>{t('platform.confirmed')}</dt><dd>{platform.confirm_receive_time ? t(platform.confirm_receive_method === 1 ? 'platform.confirmedAuto' : 'platform.confirmedCustomer', { time: time(platform.confirm_receive_time * 1000) }) : '—'}</dd>
          </dl>
        )}
      </Section>
    </>
  );
}
