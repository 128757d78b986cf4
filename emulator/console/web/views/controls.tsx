// Fault injection (simulator and database), the reconciliation timer, reset.
import { useEffect, useState } from 'preact/hooks';
import { useData } from '../api';
import { useAction } from '../flash';
import { Json, Section } from '../ui';

type FaultSet = Record<string, unknown>;

/** One-click faults: each adds (or removes) its keys in the simulator's whole fault set. */
const SIM_TOGGLES: Array<{ id: string; label: string; set: FaultSet }> = [
  { id: 'drop', label: 'Drop every notification in transit', set: { dropNotifications: 1 } },
  { id: 'corrupt', label: 'Corrupt notification signatures', set: { corruptNotifications: 1, corruptMode: 'signature' } },
  { id: 'duplicate', label: 'Send each notification 3× at once', set: { duplicateNotifications: 3, concurrentDuplicates: true } },
  { id: 'probe', label: 'Signature probe before each attempt', set: { signProbe: true } },
  { id: 'system-error', label: 'API answers 500 SYSTEM_ERROR', set: { systemErrorRate: 1 } },
  { id: 'latency', label: 'API latency 1.5 s', set: { latencyMs: 1500 } },
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
      ? await act('Set WeChat Pay faults', 'POST', '/api/faults/simulator', next)
      : await act('Set database faults', 'POST', '/api/faults/cloudbase', next);
    if (!r || r.status >= 400) setAsked({});
    reload();
  };
  const setSim = (next: FaultSet) => apply('sim', next);
  return (
    <>
      <Section title="Fault injection — WeChat Pay simulator">
        <ul class="toggles" data-testid="sim-faults">
          {SIM_TOGGLES.map((t) => (
            <li>
              <label>
                <input type="checkbox" data-testid={`fault-${t.id}`} checked={hasAll(sim, t.set)}
                  onChange={(e) => setSim((e.target as HTMLInputElement).checked ? { ...sim, ...t.set } : without(sim, t.set))} />
                {' '}{t.label}
              </label>
            </li>
          ))}
        </ul>
        <RawFaults faults={sim} apply={setSim} />
      </Section>
      <Section title="Fault injection — CloudBase database">
        <label>
          <input type="checkbox" data-testid="fault-db-writes" checked={dbFailing}
            onChange={(e) => apply('db', (e.target as HTMLInputElement).checked ? { writeFailureRate: 1 } : {})} />
          {' '}Every database write fails (DATABASE_REQUEST_FAILED)
        </label>
        <Json value={data?.cloudbase ?? {}} />
      </Section>
      <Section title="Timers and state">
        <p class="row">
          <button data-testid="fire-reconcile" onClick={() => act('Reconciliation (queryOrder timer)', 'POST', '/api/trigger/queryOrder')}>Fire the reconciliation timer now</button>
          <button class="danger" data-testid="reset" onClick={() => confirm('Empty orders, events and refunds, and reset WeChat Pay?') && act('Reset', 'POST', '/api/reset')}>Reset state</button>
        </p>
        <p class="small">Reset empties every collection but products (through the admin wire), and calls the simulator's /__sim/reset (orders, deliveries, faults, clock).</p>
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
        setBad('not JSON');
      }
    }}>
      <input class="grow mono" value={text} onInput={(e) => setText((e.target as HTMLInputElement).value)} data-testid="raw-faults" />
      <button type="submit">Apply fault set</button>
      {bad && <span class="error">{bad}</span>}
    </form>
  );
}
