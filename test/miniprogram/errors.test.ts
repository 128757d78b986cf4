/** @jest-environment jsdom */
// Sign-in failures read as such, not as "Something went wrong on our side" (built output).
import { scriptedBackend } from './support/backends';
import { fnError } from './support/fixtures';
import { buildForTest, loadPage, TestBuild, text, waitFor } from './support/pages';
import { installWx, WxShim } from './support/wxShim';

let built: TestBuild;
let render: ReturnType<typeof loadPage>;
let shim: WxShim | undefined;

beforeAll(() => {
  built = buildForTest();
  render = loadPage(built.outDir, 'pages/orders/index');
});
afterEach(() => shim && shim.restore());
afterAll(() => built.cleanup());

async function shownFor(code: string): Promise<string> {
  shim = installWx(scriptedBackend({ listOrders: () => fnError(code, `server detail for ${code}`) }));
  const page = render();
  page.instance.onLoad({});
  await waitFor(() => !page.data.loading, 'orders loaded');
  return text(page, '.error-text');
}

describe('plain words for sign-in and permission errors', () => {
  it('UNAUTHENTICATED says the sign-in failed and what to do', async () => {
    expect(await shownFor('UNAUTHENTICATED')).toBe('We could not sign you in. Please close and reopen the mini-program, then try again.');
  });

  it('FORBIDDEN says the account may not do this', async () => {
    expect(await shownFor('FORBIDDEN')).toBe('Your account is not allowed to do this.');
  });

  it('neither shows the server detail nor the generic wording', async () => {
    for (const code of ['UNAUTHENTICATED', 'FORBIDDEN']) {
      const shown = await shownFor(code);
      expect(shown).not.toContain('server detail');
      expect(shown).not.toBe('Something went wrong on our side. Please try again.');
    }
  });
});
