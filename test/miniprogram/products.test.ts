/** @jest-environment jsdom */
import { scriptedBackend } from './support/backends';
import { fnError, PRODUCTS } from './support/fixtures';
import { builtPage, exists, tap, text, waitFor } from './support/pages';
import type { WxShim } from './support/wxShim';

const mp = builtPage('pages/products/index');
let shim: WxShim | undefined;

describe('products page', () => {
  it('shows a loading state, then the active products with yuan prices', async () => {
    const backend = scriptedBackend({ listProducts: () => ({ products: PRODUCTS }) });
    shim = mp.install(backend);
    const page = mp.render();
    page.instance.onLoad({});
    expect(text(page, '.loading')).toBe('正在加载商品…');
    await waitFor(() => !page.data.loading, 'products loaded');
    const names = page.querySelectorAll('.product-name').map((n: any) => n.dom.textContent);
    expect(names).toEqual(['Coffee', 'Green tea', 'Cheesecake']);
    const prices = page.querySelectorAll('.product-price').map((n: any) => n.dom.textContent);
    expect(prices).toEqual(['¥18.00', '¥9.90', '¥25.05']);
    expect(shim.functions).toEqual([{ name: 'listProducts', data: {} }]);
  });

  it('shows each product picture from its temporary link, none where there is none, and drops one that fails to load', async () => {
    const withPictures: Array<{ _id: string; imageUrl?: string }> = PRODUCTS.map((p, i) => (i < 2 ? { ...p, image: `cloud://env.bucket/products/${p._id}.svg`, imageUrl: `http://127.0.0.1:1/storage/b/products/${p._id}.svg?sign=s&t=1` } : p));
    shim = mp.install(scriptedBackend({ listProducts: () => ({ products: withPictures }) }));
    const page = mp.render();
    page.instance.onLoad({});
    await waitFor(() => !page.data.loading, 'products loaded');
    const images = page.querySelectorAll('.product-image');
    expect(images).toHaveLength(2);
    expect(page.data.rows.map((r: any) => r.imageUrl)).toEqual([withPictures[0].imageUrl, withPictures[1].imageUrl, '']);
    images[1].dispatchEvent('error');
    await waitFor(() => page.querySelectorAll('.product-image').length === 1, 'broken picture removed');
    expect(page.data.rows[0].imageUrl).toBe(withPictures[0].imageUrl);
  });

  it('adds and removes items and goes to checkout with the cart', async () => {
    shim = mp.install(scriptedBackend({ listProducts: () => ({ products: PRODUCTS }) }));
    const page = mp.render();
    page.instance.onLoad({});
    await waitFor(() => !page.data.loading, 'products loaded');
    await tap(page, '.add', 0);
    await tap(page, '.add', 0);
    await tap(page, '.add', 2);
    expect(text(page, '.cart-total')).toBe('共 3 件 · ¥61.05');
    await tap(page, '.remove', 1); // the cake row's minus (only rows with a quantity show one)
    expect(text(page, '.cart-total')).toBe('共 2 件 · ¥36.00');
    await tap(page, '.checkout');
    expect(shim.navigations).toEqual([{ kind: 'navigateTo', url: `/pages/checkout/index?items=${encodeURIComponent('coffee:2')}` }]);
  });

  it('says so when checkout is tapped with an empty cart', async () => {
    shim = mp.install(scriptedBackend({ listProducts: () => ({ products: PRODUCTS }) }));
    const page = mp.render();
    page.instance.onLoad({});
    await waitFor(() => !page.data.loading, 'products loaded');
    page.instance.onCheckout();
    expect(shim.navigations).toEqual([]);
    expect(shim.toasts.map((t) => t.title)).toEqual(['购物车还是空的，请先选择商品。']);
  });

  it('shows a plain-words error with a retry when the call fails, and recovers on retry', async () => {
    const backend = scriptedBackend({ listProducts: (_d, n) => (n === 0 ? fnError('INTERNAL', 'db down') : { products: PRODUCTS }) });
    shim = mp.install(backend);
    const page = mp.render();
    page.instance.onLoad({});
    await waitFor(() => !page.data.loading, 'first load');
    expect(text(page, '.error-text')).toBe('系统开小差了，请稍后重试。');
    expect(text(page, '.error-text')).not.toContain('db down');
    await tap(page, '.retry');
    await waitFor(() => exists(page, '.product'), 'products after retry');
    expect(page.querySelectorAll('.product')).toHaveLength(3);
  });

  it('links to my orders', async () => {
    shim = mp.install(scriptedBackend({ listProducts: () => ({ products: [] }) }));
    const page = mp.render();
    page.instance.onLoad({});
    await waitFor(() => !page.data.loading, 'loaded');
    expect(text(page, '.empty')).toBe('暂时没有在售商品');
    await tap(page, '.orders-link');
    expect(shim.navigations).toEqual([{ kind: 'navigateTo', url: '/pages/orders/index' }]);
  });
});
