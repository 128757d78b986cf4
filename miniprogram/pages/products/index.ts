// Products: the catalogue from listProducts, a small cart, and the way to checkout and "my orders".
import { api, Product } from '../../services/api';
import { encodeCart, MAX_QUANTITY } from '../../services/cart';
import { plainWords } from '../../services/errors';
import { formatPrice, totalFen } from '../../../lib/contract/money';
import { navigateTo, pageUrl, showToast, setTitle } from '../../services/wxp';
import { pageTexts, t } from '../../i18n';

/** imageUrl: listProducts' temporary link to the picture in cloud storage ('' = none, or it failed to load). */
interface Row { _id: string; name: string; price: number; priceText: string; imageUrl: string; quantity: number }

function summary(rows: Row[]) {
  const chosen = rows.filter((r) => r.quantity > 0);
  return {
    cartCount: chosen.reduce((n, r) => n + r.quantity, 0),
    cartSummaryText: t('products.cartSummary', { count: chosen.reduce((n, r) => n + r.quantity, 0), total: formatPrice(totalFen(chosen)) }),
  };
}

Component({
  data: { m: pageTexts(), loading: true, error: '', rows: [] as Row[], ...summary([]) },
  methods: {
    onLoad() {
      setTitle(t('title.products'));
      this.load();
    },
    onPullDownRefresh() {
      this.load().then(() => wx.stopPullDownRefresh({}));
    },
    async load() {
      this.setData({ loading: true, error: '' });
      try {
        const products: Product[] = await api.listProducts();
        const rows = products
          .filter((p) => p.active !== false)
          .map((p) => ({ _id: p._id, name: p.name, price: p.price, priceText: formatPrice(p.price), imageUrl: p.imageUrl || '', quantity: 0 }));
        this.setData({ loading: false, rows, ...summary(rows) });
      } catch (err) {
        this.setData({ loading: false, error: plainWords(err) });
      }
    },
    change(id: string, delta: number) {
      const rows = this.data.rows.map((r) =>
        r._id === id ? { ...r, quantity: Math.max(0, Math.min(MAX_QUANTITY, r.quantity + delta)) } : r);
      this.setData({ rows, ...summary(rows) });
    },
    onAdd(e: WechatMiniprogram.BaseEvent) {
      this.change(String(e.currentTarget.dataset.id), 1);
    },
    onRemove(e: WechatMiniprogram.BaseEvent) {
      this.change(String(e.currentTarget.dataset.id), -1);
    },
    /** A picture that fails to load (expired link, storage down) goes away instead of a broken frame. */
    onImageError(e: WechatMiniprogram.BaseEvent) {
      const id = String(e.currentTarget.dataset.id);
      this.setData({ rows: this.data.rows.map((r) => (r._id === id ? { ...r, imageUrl: '' } : r)) });
    },
    onCheckout() {
      const lines = this.data.rows.map((r) => ({ productId: r._id, quantity: r.quantity })).filter((l) => l.quantity > 0);
      if (!lines.length) {
        showToast(t('products.cartEmpty'));
        return;
      }
      navigateTo(pageUrl('/pages/checkout/index', { items: encodeCart(lines) }));
    },
    onOrders() {
      navigateTo('/pages/orders/index');
    },
  },
});
