// Any collection through the TCB admin wire: counts, documents, one document in full.
import { useState } from 'preact/hooks';
import { useData } from '../api';
import { Empty, Json, link, Section, time } from '../ui';
import { t } from '../i18n';

interface CollectionInfo { name: string; count: number; statuses: string[] }

export function Collections({ name, id, version }: { name?: string; id?: string; version: number }) {
  const { data } = useData<{ collections: CollectionInfo[] }>('/api/collections', version);
  const current = name ?? 'orders';
  const statuses = data?.collections.find((c) => c.name === current)?.statuses ?? [];
  return (
    <div class="split">
      <nav class="card side" data-testid="collections">
        {data?.collections.map((c) => (
          <a href={link('collections', c.name)} class={c.name === current ? 'active' : ''}>{c.name} <span class="count">{c.count}</span></a>
        ))}
      </nav>
      <div class="grow">{id ? <Document name={current} id={id} version={version} /> : <DocList key={current} name={current} statuses={statuses} version={version} />}</div>
    </div>
  );
}

function DocList({ name, statuses, version }: { name: string; statuses: string[]; version: number }) {
  // key={name} above: another collection starts unfiltered.
  const [status, setStatus] = useState('');
  const query = status ? `?status=${encodeURIComponent(status)}` : '';
  const { data, error } = useData<{ docs: any[] }>(`/api/collections/${encodeURIComponent(name)}${query}`, version);
  const filter = statuses.length > 0 && (
    <label class="inline">
      {t('common.status')}{' '}
      <select data-testid="collection-status-filter" value={status} onChange={(e) => setStatus((e.target as HTMLSelectElement).value)}>
        {['', ...statuses].map((s) => <option value={s}>{s || t('common.all')}</option>)}
      </select>
    </label>
  );
  return (
    <Section title={name} actions={filter}>
      {error && <p class="error">{error}</p>}
      {data && data.docs.length === 0 && <Empty>{status ? t('coll.emptyStatus', { name, status }) : t('coll.empty')}</Empty>}
      {data && data.docs.length > 0 && (
        <table data-testid="docs-table">
          <thead><tr><th>_id</th><th>{t('coll.col.when')}</th><th>{t('coll.col.fields')}</th></tr></thead>
          <tbody>
            {data.docs.map((d) => (
              <tr>
                <td><a href={link('collections', name, d._id)} class="mono small">{d._id}</a></td>
                <td class="small">{time(d.createdAt ?? d.at)}</td>
                <td class="small mono clip">{preview(d)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Section>
  );
}

function Document({ name, id, version }: { name: string; id: string; version: number }) {
  const { data, error } = useData<{ doc: any }>(`/api/collections/${encodeURIComponent(name)}/${encodeURIComponent(id)}`, version);
  return (
    <Section title={`${name} / ${id}`} actions={name === 'orders' ? <a href={link('orders', id)}>{t('coll.openAsOrder')}</a> : null}>
      {error && <p class="error">{error}</p>}
      {data && <Json value={data.doc} />}
    </Section>
  );
}

function preview(d: Record<string, unknown>): string {
  return Object.entries(d)
    .filter(([k]) => k !== '_id')
    .map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join('  ')
    .slice(0, 220);
}
