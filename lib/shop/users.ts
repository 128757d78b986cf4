/** login: the caller's openid comes from the platform context; we keep a users record. */
import { isDuplicateKeyError, type Database } from '../store/db';
import { COLLECTIONS } from '../store/collections';

export async function upsertUser(db: Database, openid: string, now: number): Promise<void> {
  const users = db.collection(COLLECTIONS.users);
  const at = new Date(now);
  const { stats } = await users.where({ _id: openid }).update({ data: { lastLoginAt: at } });
  if ((stats.updated ?? 0) > 0) return;
  try {
    await users.add({ data: { _id: openid, createdAt: at, lastLoginAt: at } });
  } catch (err) {
    if (!isDuplicateKeyError(err)) throw err;
    // Two first logins at once: the other one created the record; ours only needs the timestamp.
    await users.where({ _id: openid }).update({ data: { lastLoginAt: at } });
  }
}
