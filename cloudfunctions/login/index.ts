/**
 * login: who is calling — from the platform on WeChat Cloud, or (IDENTITY_MODE=session, SCF function
 * URLs) from wx.login()'s code exchanged via code2Session for a signed session token. Never from the
 * client's say-so. Keeps a users record either way.
 */
import { loginFunction } from '../../lib/functions/handler';
import { cloud, database } from '../../lib/functions/runtime';
import { upsertUser } from '../../lib/shop/users';

export const main = loginFunction(() => cloud.getWXContext(), async (caller) => {
  await upsertUser(database(), caller.openid, Date.now());
});
