// Result: what happened to the payment, in plain words, with the next step for each case:
// unpaid (cancelled / failed) → pay again; still confirming → check again.
import { plainWords } from '../../services/errors';
import { formatPrice } from '../../../lib/contract/money';
import { confirmPayment, OutcomeKind, payAndConfirm } from '../../services/payflow';
import { OUTCOME_WORDS } from '../../services/status';
import { redirectTo, showToast, setTitle } from '../../services/wxp';
import { pageTexts, t } from '../../i18n';

const KINDS: OutcomeKind[] = ['paid', 'cancelled', 'failed', 'pending'];

function view(kind: OutcomeKind) {
  return {
    kind,
    title: OUTCOME_WORDS[kind].title,
    detail: OUTCOME_WORDS[kind].detail,
    canPayAgain: kind === 'cancelled' || kind === 'failed',
    canCheck: kind === 'pending',
  };
}

Component({
  properties: { outTradeNo: { type: String, value: '' }, outcome: { type: String, value: '' }, total: { type: String, value: '' } },
  data: { m: pageTexts(), outTradeNo: '', orderNoText: '', totalText: '', busy: false, ...view('pending') },
  methods: {
    onLoad(query: { outTradeNo?: string; outcome?: string; total?: string }) {
      setTitle(t('title.result'));
      const q = query || {};
      const kind = KINDS.indexOf(q.outcome as OutcomeKind) >= 0 ? (q.outcome as OutcomeKind) : 'pending';
      const total = Number(q.total);
      this.setData({
        outTradeNo: q.outTradeNo || '',
        orderNoText: t('result.orderNo', { no: q.outTradeNo || '' }),
        totalText: Number.isSafeInteger(total) && total > 0 ? formatPrice(total) : '',
        ...view(kind),
      });
    },
    async onPayAgain() {
      if (this.data.busy || !this.data.outTradeNo) return;
      this.setData({ busy: true });
      try {
        const outcome = await payAndConfirm({ outTradeNo: this.data.outTradeNo });
        this.setData({ busy: false, totalText: formatPrice(outcome.total), ...view(outcome.kind) });
      } catch (err) {
        this.setData({ busy: false });
        showToast(plainWords(err));
      }
    },
    async onCheck() {
      if (this.data.busy || !this.data.outTradeNo) return;
      this.setData({ busy: true });
      const kind = await confirmPayment(this.data.outTradeNo, []);
      this.setData({ busy: false, ...view(kind) });
      if (kind === 'pending') showToast(t('result.notConfirmedYet'));
    },
    onOrders() {
      redirectTo('/pages/orders/index');
    },
    onShop() {
      redirectTo('/pages/products/index');
    },
  },
});
