// The console shell: header, tabs (hash routes), the flash bar and live updates.
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { useData, useLiveVersion } from './api';
import { FlashContext, type Flash } from './flash';
import { Bills } from './views/bills';
import { Collections } from './views/collections';
import { Controls } from './views/controls';
import { Logs } from './views/logs';
import { Notifications } from './views/notifications';
import { OrderDetail } from './views/order';
import { Orders } from './views/orders';
import { Transactions } from './views/transactions';
import { lang, t, TABLES } from './i18n';

const TABS = [
  ['orders', t('tab.orders')],
  ['collections', t('tab.collections')],
  ['transactions', t('tab.transactions')],
  ['notifications', t('tab.notifications')],
  ['bills', t('tab.bills')],
  ['logs', t('tab.logs')],
  ['controls', t('tab.controls')],
] as const;

function useRoute(): string[] {
  const read = () => location.hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const on = () => setRoute(read());
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return route;
}

function App() {
  const [tab = 'orders', a, b] = useRoute();
  const { version, connected } = useLiveVersion();
  const [flash, setFlash] = useState<Flash | undefined>(undefined);
  const { data: info } = useData<Record<string, string>>('/api/info', 0);
  let view;
  if (tab === 'orders' && a) view = <OrderDetail key={a} no={a} version={version} staffOpenid={info?.staffOpenid} />;
  else if (tab === 'orders') view = <Orders version={version} />;
  else if (tab === 'collections') view = <Collections key={`${a}/${b}`} name={a} id={b} version={version} />;
  else if (tab === 'transactions') view = <Transactions version={version} />;
  else if (tab === 'notifications') view = <Notifications version={version} />;
  else if (tab === 'bills') view = <Bills date={a} version={version} staffOpenid={info?.staffOpenid} />;
  else if (tab === 'logs') view = <Logs version={version} />;
  else view = <Controls version={version} />;
  return (
    <FlashContext.Provider value={setFlash}>
      <header class="top">
        <h1>wxcloud-pay <span>{t('app.subtitle')}</span></h1>
        <nav>
          {TABS.map(([id, label]) => <a href={`#/${id}`} class={tab === id ? 'active' : ''} data-testid={`tab-${id}`}>{label}</a>)}
        </nav>
        <span class="meta small">
          {info && t('app.info', { envId: info.envId, mchid: info.mchid ?? '—', appid: info.appid ?? '—' })}
          <span class={`live ${connected ? 'on' : 'off'}`} data-testid="live" title={t('app.liveTitle')}>{connected ? t('app.live') : t('app.offline')}</span>
        </span>
      </header>
      {flash && (
        <div class={`flash flash-${flash.kind}`} data-testid="flash" onClick={() => setFlash(undefined)}>{flash.text}</div>
      )}
      <main>{view}</main>
    </FlashContext.Provider>
  );
}

document.documentElement.lang = lang;
// The CJK font comes in unicode-range pieces, fetched when text needs them. Text laid out while its
// piece was still loading stayed blank in Chromium even after the piece arrived (headings and the
// active tab in the zh-CN screenshots), so the pieces every text of the table needs, in both weights
// the stylesheet uses (400; 600/700 → 700), are loaded before the first render. A font that fails to
// load only delays it (at most 3 s): the system fonts still draw what they can.
const ui = Object.values(TABLES[lang]).join('');
const fontsReady = typeof document.fonts?.load === 'function'
  ? Promise.race([
    Promise.all(['400', '700'].map((weight) => document.fonts.load(`${weight} 16px "Noto Sans SC"`, ui))).catch(() => undefined),
    new Promise((resolve) => setTimeout(resolve, 3000)),
  ])
  : Promise.resolve();
void fontsReady.then(() => render(<App />, document.getElementById('app')!));
