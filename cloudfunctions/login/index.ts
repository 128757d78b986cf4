/** login: who is calling, from the platform (never from the client); keeps a users record. */
import { clientFunction } from '../../lib/functions/handler';
import { cloud, database } from '../../lib/functions/runtime';
import { upsertUser } from '../../lib/shop/users';

export const main = clientFunction(() => cloud.getWXContext(), async (_event, caller) => {
  await upsertUser(database(), caller.openid, Date.now());
  return { openid: caller.openid };
});
