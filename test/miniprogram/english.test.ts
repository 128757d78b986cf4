/** @jest-environment jsdom */
// The build switch: MP_LANG=en builds the same pages with the English table (zh-CN is the default,
// asserted by the other page tests). Technical identifiers stay as they are in both.
import { scriptedBackend } from './support/backends';
import { PRODUCTS, state } from './support/fixtures';
import { buildForTest, loadPage, TestBuild, text, waitFor } from './support/pages';
import { installWx, WxShim } from './support/wxShim';

let built: TestBuild;
let shim: WxShim | undefined;
let products: ReturnType<typeof loadPage>;
let result: ReturnType<typeof loadPage>;

beforeAll(() => {
  built = buildForTest({ MP_LANG: 'en' });
  products = loadPage(built.outDir, 'pages/products/index');
  result = loadPage(built.outDir, 'pages/result/index');
});
afterEach(() => shim && shim.restore());
afterAll(() => built.cleanup());

describe('MP_LANG=en build', () => {
  it('products page: English loading, title and cart summary', async () => {
    shim = installWx(scriptedBackend({ listProducts: () => ({ products: PRODUCTS }) }));
    const page = products();
    page.instance.onLoad({});
    expect(text(page, '.loading')).toBe('Loading products…');
    await waitFor(() => !page.data.loading, 'products loaded');
    expect(text(page, '.cart-total')).toBe('0 item(s) · ¥0.00');
    expect(text(page, '.checkout')).toBe('Checkout');
    expect(shim.titles).toEqual(['Shop']);
  });

  it('result page: English outcome words', () => {
    shim = installWx(scriptedBackend({ queryOrder: () => state('T1', 'SUCCESS', 100) }));
    const page = result();
    page.instance.onLoad({ outTradeNo: 'T1', outcome: 'paid', total: '100' });
    expect(text(page, '.title')).toBe('Payment successful');
    expect(text(page, '.order-no')).toBe('Order T1');
  });
});
