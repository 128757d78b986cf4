/** @jest-environment jsdom */
// Sign-in failures read as such, not as "Something went wrong on our side" (built output).
import { scriptedBackend } from './support/backends';
import { fnError } from './support/fixtures';
import { builtPage, text, waitFor } from './support/pages';
import type { WxShim } from './support/wxShim';

const mp = builtPage('pages/orders/index');
let shim: WxShim | undefined;

async function shownFor(code: string): Promise<string> {
  shim = mp.install(scriptedBackend({ listOrders: () => fnError(code, `server detail for ${code}`) }));
  const page = mp.render();
  page.instance.onLoad({});
  await waitFor(() => !page.data.loading, 'orders loaded');
  return text(page, '.error-text');
}

describe('plain words for sign-in and permission errors', () => {
  it('UNAUTHENTICATED says the sign-in failed and what to do', async () => {
    expect(await shownFor('UNAUTHENTICATED')).toBe('登录失败，请关闭小程序后重新打开，再试一次。');
  });

  it('FORBIDDEN says the account may not do this', async () => {
    expect(await shownFor('FORBIDDEN')).toBe('您的账号没有权限进行此操作。');
  });

  it('neither shows the server detail nor the generic wording', async () => {
    for (const code of ['UNAUTHENTICATED', 'FORBIDDEN']) {
      const shown = await shownFor(code);
      expect(shown).not.toContain('server detail');
      expect(shown).not.toBe('系统开小差了，请稍后重试。');
    }
  });
});
