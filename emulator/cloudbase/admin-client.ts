/**
 * A small client for the TCB admin wire (the same POST /admin requests wx-server-sdk sends), for
 * scripts and tests that seed or inspect the local database from outside a function. It speaks
 * the documented interface only: no private access to the emulator's store.
 */
import { EJSON } from 'bson';

export type Doc = Record<string, unknown>;

export class AdminWireError extends Error {
  constructor(readonly code: string, message: string) {
    super(`${code}: ${message}`);
    this.name = 'AdminWireError';
  }
}

export interface AdminWire {
  send(action: string, fields: Doc): Promise<Doc>;
  ensureCollection(name: string): Promise<void>;
  insert(collection: string, docs: Doc[]): Promise<void>;
  find(collection: string, query?: Doc, options?: { limit?: number; order?: Array<{ field: string; direction: 'asc' | 'desc' }> }): Promise<Doc[]>;
  count(collection: string, query?: Doc): Promise<number>;
  /** Cloud storage upload as the SDK's uploadFile does it (upload metadata, then the signed PUT); the file ID. */
  upload(cloudPath: string, bytes: Uint8Array): Promise<string>;
}

function ejson(value: unknown): string {
  return EJSON.stringify(value as Doc, { relaxed: false });
}

export function adminWire(adminUrl: string, envId: string): AdminWire {
  const send = async (action: string, fields: Doc): Promise<Doc> => {
    const response = await fetch(`${adminUrl}?env=${encodeURIComponent(envId)}&seqId=${Date.now()}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ action, envName: envId, ...fields }),
    });
    const payload = (await response.json()) as { code?: string; message?: string; data?: Doc };
    if (payload.code) throw new AdminWireError(payload.code, payload.message ?? '');
    return payload.data ?? {};
  };
  return {
    send,
    async ensureCollection(name) {
      try {
        await send('database.addCollection', { collectionName: name });
      } catch (err) {
        if (!(err instanceof AdminWireError && /ALREADY_EXIST/.test(err.code))) throw err;
      }
    },
    async insert(collection, docs) {
      await send('database.insertDocument', { collectionName: collection, data: docs.map(ejson) });
    },
    async find(collection, query = {}, options = {}) {
      const data = await send('database.getDocument', {
        collectionName: collection,
        query: ejson(query),
        queryType: 'WHERE',
        limit: options.limit ?? 1000,
        ...(options.order ? { order: ejson(options.order) } : {}),
      });
      return ((data.list as string[]) ?? []).map((item) => EJSON.parse(item, { relaxed: true }) as Doc);
    },
    async count(collection, query = {}) {
      const data = await send('database.calculateDocument', { collectionName: collection, query: ejson(query), queryType: 'WHERE' });
      return Number(data.total ?? 0);
    },
    async upload(cloudPath, bytes) {
      const meta = (await send('storage.getUploadMetadata', { path: cloudPath })) as { url: string; authorization: string; fileId: string };
      const put = await fetch(meta.url, { method: 'PUT', headers: { authorization: meta.authorization }, body: bytes });
      if (!put.ok) {
        const code = /<Code>([^<]*)<\/Code>/.exec(await put.text())?.[1] ?? `HTTP_${put.status}`;
        throw new AdminWireError(code, `uploading ${cloudPath} failed (HTTP ${put.status})`);
      }
      return meta.fileId;
    },
  };
}
