/** Reads whole collections through the admin wire (the documented interface), 1000 at a time. */
import { EJSON } from 'bson';
import type { AdminWire, Doc } from '../../emulator/cloudbase/admin-client';

export async function readAll(admin: AdminWire, collection: string, query: Doc = {}): Promise<Doc[]> {
  const out: Doc[] = [];
  for (let offset = 0; ; offset += 1000) {
    const data = await admin.send('database.getDocument', {
      collectionName: collection,
      query: EJSON.stringify(query, { relaxed: false }),
      queryType: 'WHERE',
      limit: 1000,
      offset,
      order: EJSON.stringify([{ field: '_id', direction: 'asc' }], { relaxed: false }),
    });
    const page = ((data.list as string[]) ?? []).map((item) => EJSON.parse(item, { relaxed: true }) as Doc);
    out.push(...page);
    if (page.length < 1000) return out;
  }
}
