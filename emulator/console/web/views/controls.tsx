// Fault injection (simulator and database), the reconciliation timer, reset.
import { useEffect, useState } from 'preact/hooks';
import { useData } from '../api';
import { useAction } from '../flash';
import { Json, Section } from '../ui';
import { t } from '../i18n';

type FaultSet = Record<string, unknown>;

/** One-click faults: each adds (or removes) its keys in the simulator's whole fault set. */
const SIM_TOGGLES: Array<{ id: string; label: string; set: FaultSet }> = [
  { id: 'drop', label: t('faults.drop'), set: { dropNotifications: 1 } },
  { id: 'corrupt', label: t('faults.corrupt'), set: { corruptNotifications: 1, corruptMode: 'signature' } },
  { id: 'duplicate', label: t('faults.duplicate'), set: { duplicateNotifications: 3, concurrentDuplicates: true } },
  { id: 'probe', label: t('faults.probe'), set: { signProbe: true } },
  { id: 'system-error', label: t('faults.systemError'), set: { systemErrorRate: 1 } },
  { id: 'latency', label: t('faults.latency'), set: { latencyMs: 1500 } },
];

const hasAll = (faults: FaultSet, set: FaultSet) => Object.entries(set).every(([k, v]) => faults[k] === v);
const without = (faults: FaultSet, set: FaultSet) => Object.fromEntries(Object.entries(faults).filter(([k]) => !(k in set)));

export function Controls({ version }: { version: number }) {
  const { data, reload } = useData<{ simulator: { faults: FaultSet; seed: number }; cloudbase: FaultSet }>('/api/faults', version);
  const act = useAction();
  // What was just asked for shows at once; the server's answer (next fetch) replaces it.
  const [asked, setAsked] = useState<{ sim?: FaultSet; db?: FaultSet }>({});
  useEffect(() => setAsked({}), [data]);
  const sim = asked.sim ?? data?.simulator.faults ?? {};
  const dbFailing = (asked.db ?? data?.cloudbase)?.writeFailureRate === 1;
  const apply = async (which: 'sim' | 'db', next: FaultSet) => {
    setAsked({ [which]: next });
    const r = which === 'sim'
      ? await act(t('faults.setSim'), 'POST', '/api/faults/simulator', next)
      : await act(t('faults.setDb'), 'POST', '/api/faults/cloudbase', next);
    if (!r || r.status >= 400) setAsked({});
    reload();
  };
  const setSim = (next: FaultSet) => apply('sim', next);
  // Until the server's fault sets are known every toggle would read "off": a click on one then
  // asks for the state it already shows (and nothing happens), so the toggles wait for the answer.
  if (!data) return <p class="empty">{t('common.loading')}</p>;
  return (
    <>
      <Section title={t('faults.simTitle')}>
        <ul class="toggles" data-testid="sim-faults">
          {SIM_TOGGLES.map((toggle) => (
            <li>
              <label>
                <input type="checkbox" data-testid={`fault-${toggle.id}`} checked={hasAll(sim, toggle.set)}
                  onChange={(e) => setSim((e.target as HTMLInputElement).checked ? { ...sim, ...toggle.set } : without(sim, toggle.set))} />
                {' '}{toggle.label}
              </label>
            </li>
          ))}
        </ul>
        <RawFaults faults={sim} apply={setSim} />
      </Section>
      <Section title={t('faults.dbTitle')}>
        <label>
          <input type="checkbox" data-testid="fault-db-writes" checked={dbFailing}
            onChange={(e) => apply('db', (e.target as HTMLInputElement).checked ? { writeFailureRate: 1 } : {})} />
          {' '}{t('faults.dbWrites')}
        </label>
        <Json value={data?.cloudbase ?? {}} />
      </Section>
      <Section title={t('timers.title')}>
        <p class="row">
          <button data-testid="fire-reconcile" onClick={() => act(t('timers.fireLabel'), 'POST', '/api/trigger/queryOrder')}>{t('timers.fire')}</button>
          <button class="danger" data-testid="reset" onClick={() => confirm(t('timers.resetConfirm')) && act(t('timers.resetLabel'), 'POST', '/api/reset')}>{t('timers.reset')}</button>
        </p>
        <p class="small">{t('timers.resetHelp')}</p>
      </Section>
    </>
  );
}

function RawFaults({ faults, apply }: { faults: FaultSet; apply(f: FaultSet): void }) {
  const [text, setText] = useState(JSON.stringify(faults));
  const [bad, setBad] = useState('');
  useEffect(() => setText(JSON.stringify(faults)), [JSON.stringify(faults)]);
  return (
    <form class="row" onSubmit={(e) => {
      e.preventDefault();
      try {
        apply(JSON.parse(text) as FaultSet);
        setBad('');
      } catch {
        setBad(t('faults.notJson'));
      }
    }}>
      <input class="grow mono" value={text} onInput={(e) => setText((e.target as HTMLInputElement).value)} data-testid="raw-faults" />
      <button type="submit">{t('faults.apply')}</button>
      {bad && <span class="error">{bad}</span>}
    </form>
  );
}
