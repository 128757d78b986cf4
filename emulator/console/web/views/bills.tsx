// The daily bill reconciliation: every day in bill_reconciliations (status, counts), one day in
// full (both sides' totals, what was healed, each discrepancy with both sides' amounts and the
// order or refund it concerns), and merchant staff's Run button (POST /api/bills/run →
// reconcileBill as the stack's staff openid). Live: a run by the timer or the CLI shows up too.
import { useEffect, useState } from 'preact/hooks';
import { discrepancyValues } from '../../../../lib/contract/discrepancy';
import { formatMilliYuan } from '../../../../lib/contract/money';
import { useData } from '../api';
import { useAction } from '../flash';
import { Badge, Empty, fen, link, Section, time } from '../ui';
import { TABLES, t, type ConsoleKey } from '../i18n';

interface Side { amountFen?: number; transactionId?: string; status?: string }
interface Discrepancy { kind: string; outTradeNo?: string; outRefundNo?: string; bill?: Side; ours?: Side; detail: string }
interface Healed { outTradeNo: string; outRefundNo?: string; from?: string; to?: string; amountFen: number }
interface Day {
  billDate: string; status: string; matched: number; healedCount: number; healed: Healed[]; discrepancyCount: number; discrepancies: Discrepancy[];
  shifted: number; runs: number; updatedAt: string; cursor?: number; requestedBy?: string; billHash?: string; error?: { code: string; message: string };
  rows?: { payments: number; refunds: number };
  bill?: { count: number; grossFen: number; refundFen: number; feeMilliFen: number; netMilliFen: number };
  ours?: { paidCount: number; grossFen: number; refundCount: number; refundFen: number; netFen: number };
}
interface BillsReply { days: Day[]; window: { from: string; to: string; suggested: string } }

/** Fees and the bill's net are milli-fen (1/1000 fen): ¥0.01234 exactly, by string arithmetic. */
const milliYuan = (m: unknown): string => (typeof m === 'number' && Number.isSafeInteger(m) ? `¥${formatMilliYuan(m)}` : '—');

/** The table's sentence for a status or discrepancy kind; '' for a word the table does not know (a newer server). */
const known = (prefix: 'bills.status' | 'bills.kind' | 'bills.detail', word: string, values?: Record<string, string>): string => {
  const key = `${prefix}.${word}`;
  return key in TABLES['zh-CN'] ? t(key as ConsoleKey, values) : '';
};

/** A discrepancy's sentence worded from its kind and both sides (lib's English `detail` only for a kind this page does not know). */
const detailText = (x: Discrepancy): string => known('bills.detail', x.kind, discrepancyValues(x)) || x.detail;

function RunBill({ window, initial, staffOpenid, onDone }: { window?: BillsReply['window']; initial?: string; staffOpenid?: string; onDone(date: string): void }) {
  const act = useAction();
  const [date, setDate] = useState('');
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    // The day on screen, else yesterday.
    if (window && !date) setDate(initial ?? window.suggested);
  }, [window?.suggested, initial]);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    const r = await act(t('bills.runLabel', { date }), 'POST', '/api/bills/run', { billDate: date });
    setBusy(false);
    if (r?.status === 200) onDone(date);
  };
  return (
    <Section title={t('bills.runTitle')}>
      <form class="row" onSubmit={submit} data-testid="bill-run-form">
        <label>{t('bills.date')} <input type="date" value={date} min={window?.from} max={window?.to} onInput={(e) => setDate((e.target as HTMLInputElement).value)} data-testid="bill-date" /></label>
        <button type="submit" class="primary" disabled={busy || !date} data-testid="bill-run">{busy ? t('bills.running') : t('bills.run')}</button>
      </form>
      <p class="small empty">{t('bills.runHelp', { openid: staffOpenid ?? '—' })}</p>
    </Section>
  );
}

function DayList({ days, selected }: { days: Day[]; selected?: string }) {
  return (
    <Section title={t('bills.title')}>
      {days.length === 0 ? <Empty>{t('bills.empty')}</Empty> : (
        <table data-testid="bills-table">
          <thead><tr><th>{t('bills.col.date')}</th><th>status</th><th>{t('bills.col.rows')}</th><th>{t('bills.col.matched')}</th><th>{t('bills.col.healed')}</th><th>{t('bills.col.discrepancies')}</th><th>{t('bills.col.runs')}</th><th>{t('bills.col.updated')}</th></tr></thead>
          <tbody>
            {days.map((d) => (
              <tr data-testid={`bill-row-${d.billDate}`} class={d.billDate === selected ? 'selected' : ''}>
                <td><a href={link('bills', d.billDate)} class="mono">{d.billDate}</a></td>
                <td data-testid="bill-status"><Badge value={d.status} /></td>
                <td>{d.rows ? `${d.rows.payments} / ${d.rows.refunds}` : '—'}</td>
                <td data-testid="bill-matched">{d.matched}</td>
                <td data-testid="bill-healed">{d.healedCount}</td>
                <td data-testid="bill-discrepancies">{d.discrepancyCount}</td>
                <td>{d.runs}</td>
                <td class="small">{time(d.updatedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Section>
  );
}

const orderLink = (no?: string) => (no ? <a href={link('orders', no)} class="mono small">{no}</a> : null);
const side = (s?: Side) => (s ? [fen(s.amountFen), s.status, s.transactionId].filter((x) => x && x !== '—').join(' · ') || '—' : '—');

function DayDetail({ day }: { day: Day }) {
  return (
    <>
      <Section title={t('bills.dayTitle', { date: day.billDate })}>
        <dl class="facts" data-testid="bill-day">
          <dt>status</dt><dd data-testid="bill-day-status"><Badge value={day.status} /></dd>
          <dt>{t('bills.meaning')}</dt><dd>{known('bills.status', day.status)}</dd>
          <dt>{t('bills.wechat')}</dt><dd data-testid="bill-totals">{day.bill ? t('bills.totals', { count: day.bill.count, gross: fen(day.bill.grossFen), refunds: fen(day.bill.refundFen), fees: milliYuan(day.bill.feeMilliFen), net: milliYuan(day.bill.netMilliFen) }) : '—'}</dd>
          <dt>{t('bills.ours')}</dt><dd data-testid="bill-ours">{day.ours ? t('bills.ourTotals', { paid: day.ours.paidCount, gross: fen(day.ours.grossFen), refundCount: day.ours.refundCount, refunds: fen(day.ours.refundFen), net: fen(day.ours.netFen) }) : '—'}</dd>
          <dt>{t('bills.col.rows')}</dt><dd>{day.rows ? `${day.rows.payments} / ${day.rows.refunds}` : '—'}</dd>
          <dt>{t('bills.shifted')}</dt><dd>{day.shifted}</dd>
          <dt>{t('bills.hash')}</dt><dd class="mono small">{day.billHash ?? '—'}</dd>
          <dt>{t('bills.requestedBy')}</dt><dd class="mono small">{day.requestedBy ?? '—'} · {t('bills.col.runs')} {day.runs}</dd>
          {day.cursor !== undefined ? <><dt>{t('bills.cursor')}</dt><dd data-testid="bill-cursor">{t('bills.cursorRows', { rows: day.cursor })}</dd></> : null}
          {day.error ? <><dt>{t('bills.error')}</dt><dd class="error" data-testid="bill-error">{day.error.code}: {day.error.message}</dd></> : null}
        </dl>
      </Section>
      <Section title={`${t('bills.discrepanciesTitle')} · ${day.discrepancyCount}`}>
        {day.discrepancyCount === 0 ? <Empty>{t('bills.noDiscrepancies')}</Empty> : (
          <table data-testid="bill-discrepancies-table">
            <thead><tr><th>{t('bills.col.kind')}</th><th>{t('bills.col.order')}</th><th>{t('bills.col.billSide')}</th><th>{t('bills.col.ourSide')}</th><th>{t('bills.col.detail')}</th></tr></thead>
            <tbody>
              {day.discrepancies.map((x) => (
                <tr data-testid="bill-discrepancy">
                  <td><span class="mono small">{x.kind}</span><br /><span class="small">{known('bills.kind', x.kind)}</span></td>
                  <td>{orderLink(x.outTradeNo)}{x.outRefundNo ? <div class="mono small">{x.outRefundNo}</div> : null}</td>
                  <td data-testid="bill-side">{side(x.bill)}</td>
                  <td data-testid="our-side">{side(x.ours)}</td>
                  <td class="small" data-testid="bill-detail">{detailText(x)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {day.discrepancyCount > day.discrepancies.length ? <p class="small empty">{t('bills.more', { count: day.discrepancyCount - day.discrepancies.length, listed: day.discrepancies.length })}</p> : null}
      </Section>
      <Section title={`${t('bills.healedTitle')} · ${day.healedCount}`}>
        {day.healedCount === 0 ? <Empty>{t('bills.noHealed')}</Empty> : (
          <table data-testid="bill-healed-table">
            <thead><tr><th>{t('bills.col.order')}</th><th>{t('bills.col.change')}</th><th>{t('bills.col.amount')}</th></tr></thead>
            <tbody>
              {day.healed.map((h) => (
                <tr data-testid="bill-healed-row">
                  <td>{orderLink(h.outTradeNo)}{h.outRefundNo ? <div class="mono small">{h.outRefundNo}</div> : null}</td>
                  <td class="mono small">{h.from ?? '?'} → {h.to ?? '?'}</td>
                  <td>{fen(h.amountFen)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {day.healedCount > day.healed.length ? <p class="small empty">{t('bills.more', { count: day.healedCount - day.healed.length, listed: day.healed.length })}</p> : null}
      </Section>
    </>
  );
}

export function Bills({ date, version, staffOpenid }: { date?: string; version: number; staffOpenid?: string }) {
  const { data, error } = useData<BillsReply>('/api/bills', version);
  const day = date ? data?.days.find((d) => d.billDate === date) : undefined;
  return (
    <>
      <RunBill window={data?.window} initial={date} staffOpenid={staffOpenid} onDone={(d) => { location.hash = link('bills', d); }} />
      {error && <p class="error">{error}</p>}
      {data && date && !day ? <Section title={t('bills.dayTitle', { date })}><Empty>{t('bills.notFound', { date })}</Empty></Section> : null}
      {day ? <DayDetail day={day} /> : null}
      {data && <DayList days={data.days} selected={date} />}
    </>
  );
}
