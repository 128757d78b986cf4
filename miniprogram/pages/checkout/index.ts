// Checkout: the chosen lines with quantities and total, and one Pay button that cannot be
// pressed twice while a payment is in flight.
import { api, CartLine } from '../../services/api';
import { MAX_QUANTITY, newClientOrderKey, parseCart } from '../../services/cart';
import { plainWords } from '../../services/errors';
import { formatPrice, totalFen } from '../../../lib/contract/money';
import { payAndConfirm } from '../../services/payflow';
import { pageUrl, redirectTo, showToast, setTitle } from '../../services/wxp';
import { pageTexts, t } from '../../i18n';

interface Line { productId: string; name: string; price: number; priceText: string; eachText: string; quantity: number; subtotalText: string }

function priced(lines: Line[]) {
  return {
    lines: lines.map((l) => ({ ...l, subtotalText: formatPrice(l.price * l.quantity) })),
    totalText: formatPrice(totalFen(lines)),
    payText: t('checkout.pay', { total: formatPrice(totalFen(lines)) }),
  };
}

Component({
  properties: { items: { type: String, value: '' } },
  data: {
    m: pageTexts(),
    loading: true,
    error: '',
    ...priced([] as Line[]),
    paying: false,
    busyText: '',
    // Sent as clientOrderKey: a retried tap after a lost answer finds the same order.
    // Renewed whenever the cart changes, because then it is a different order.
    orderKey: '',
  },
  methods: {
    onLoad(query: { items?: string }) {
      setTitle(t('title.checkout'));
      this.load(parseCart((query && query.items) || this.data.items));
    },
    async load(cart: CartLine[]) {
      this.setData({ loading: true, error: '' });
      try {
        const products = await api.listProducts();
        const lines: Line[] = [];
        for (const c of cart) {
          const p = products.find((x) => x._id === c.productId && x.active !== false);
          if (p) lines.push({ productId: p._id, name: p.name, price: p.price, priceText: formatPrice(p.price), eachText: t('checkout.each', { price: formatPrice(p.price) }), quantity: c.quantity, subtotalText: '' });
        }
        if (lines.length < cart.length) showToast(t('checkout.itemsRemoved'));
        this.setData({ loading: false, orderKey: newClientOrderKey(), ...priced(lines) });
      } catch (err) {
        this.setData({ loading: false, error: plainWords(err) });
      }
    },
    change(id: string, delta: number) {
      if (this.data.paying) return;
      const lines = this.data.lines
        .map((l) => (l.productId === id ? { ...l, quantity: Math.max(0, Math.min(MAX_QUANTITY, l.quantity + delta)) } : l))
        .filter((l) => l.quantity > 0);
      this.setData({ orderKey: newClientOrderKey(), ...priced(lines) });
    },
    onInc(e: WechatMiniprogram.BaseEvent) {
      this.change(String(e.currentTarget.dataset.id), 1);
    },
    onDec(e: WechatMiniprogram.BaseEvent) {
      this.change(String(e.currentTarget.dataset.id), -1);
    },
    async onPay() {
      // The flag is checked and set synchronously, before any await: a second tap sees it.
      if (this.data.paying || !this.data.lines.length) return;
      this.setData({ paying: true, busyText: t('checkout.waiting') });
      try {
        const items = this.data.lines.map((l) => ({ productId: l.productId, quantity: l.quantity }));
        const outcome = await payAndConfirm({ items, clientOrderKey: this.data.orderKey });
        this.setData({ busyText: '' });
        // Stays "paying" while the page is replaced, so nothing can be tapped in between.
        redirectTo(pageUrl('/pages/result/index', { outTradeNo: outcome.outTradeNo, outcome: outcome.kind, total: String(outcome.total) }));
      } catch (err) {
        this.setData({ paying: false, busyText: '' });
        showToast(plainWords(err));
      }
    },
  },
});
