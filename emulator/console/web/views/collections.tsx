// Any collection through the TCB admin wire: counts, documents, one document in full.
import { useData } from '../api';
import { Empty, Json, link, Section, time } from '../ui';

export function Collections({ name, id, version }: { name?: string; id?: string; version: number }) {
  const { data } = useData<{ collections: Array<{ name: string; count: number }> }>('/api/collections', version);
  const current = name ?? 'orders';
  return (
    <div class="split">
      <nav class="card side" data-testid="collections">
        {data?.collections.map((c) => (
          <a href={link('collections', c.name)} class={c.name === current ? 'active' : ''}>{c.name} <span class="count">{c.count}</span></a>
        ))}
      </nav>
      <div class="grow">{id ? <Document name={current} id={id} version={version} /> : <DocList name={current} version={version} />}</div>
    </div>
  );
}

function DocList({ name, version }: { name: string; version: number }) {
  const { data, error } = useData<{ docs: any[] }>(`/api/collections/${encodeURIComponent(name)}`, version);
  return (
    <Section title={name}>
      {error && <p class="error">{error}</p>}
      {data && data.docs.length === 0 && <Empty>Empty.</Empty>}
      {data && data.docs.length > 0 && (
        <table>
          <thead><tr><th>_id</th><th>when</th><th>fields</th></tr></thead>
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
    <Section title={`${name} / ${id}`} actions={name === 'orders' ? <a href={link('orders', id)}>open as order</a> : null}>
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
