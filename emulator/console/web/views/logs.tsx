// Function logs as the CloudBase emulator keeps them (per function), newest first, with a function filter.
import { useEffect, useState } from 'preact/hooks';
import { useData } from '../api';
import { Empty, Section, time } from '../ui';
import { t } from '../i18n';

/** Logs are not part of the live fingerprint: the view refreshes itself while it is open. */
const REFRESH_MS = 1000;

export function Logs({ version }: { version: number }) {
  const [fn, setFn] = useState('');
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTick((n) => n + 1), REFRESH_MS);
    return () => clearInterval(timer);
  }, []);
  const { data, error } = useData<{ logs: Array<{ seq: number; at: number; function: string; line: string }>; functions: string[] }>(
    `/api/logs${fn ? `?function=${encodeURIComponent(fn)}` : ''}`,
    version + tick,
  );
  return (
    <Section title={t('logs.title')}>
      <p class="row">
        <label>
          {t('logs.function')}{' '}
          <select data-testid="log-function" value={fn} onChange={(e) => setFn((e.target as HTMLSelectElement).value)}>
            <option value="">{t('logs.allFunctions')}</option>
            {(data?.functions ?? []).map((f) => <option value={f}>{f}</option>)}
          </select>
        </label>
      </p>
      {error && <p class="error">{error}</p>}
      {data && data.logs.length === 0 && <Empty>{fn ? t('logs.emptyFrom', { fn }) : t('logs.empty')}</Empty>}
      {data && data.logs.length > 0 && (
        <table data-testid="logs-table">
          <thead><tr><th>{t('logs.col.at')}</th><th>{t('logs.col.function')}</th><th>{t('logs.col.line')}</th></tr></thead>
          <tbody>
            {data.logs.map((e) => (
              <tr data-testid="log-line" data-function={e.function}>
                <td class="small">{time(e.at)}</td>
                <td class="mono small">{e.function}</td>
                <td class="mono small"><pre class="log">{e.line}</pre></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Section>
  );
}
