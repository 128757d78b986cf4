// My orders: the caller's orders with their state and refunds; an unpaid one can be paid again.
import { api, OrderView } from '../../services/api';
import { plainWords } from '../../services/errors';
import { formatPrice } from '../../../lib/contract/money';
import { payAndConfirm } from '../../services/payflow';
import { OUTCOME_WORDS, refundStates, refundText, RefundState, statusText } from '../../services/status';
import { showToast } from '../../services/wxp';

interface Row { outTradeNo: string; status: string; statusText: string; totalText: string; itemsText: string; refundText: string; refundStates: RefundState[]; canPay: boolean }

function row(o: OrderView): Row {
  return {
    outTradeNo: o.outTradeNo,
    status: o.status,
    statusText: statusText(o.status),
    totalText: formatPrice(o.amount.total),
    itemsText: (o.items || []).map((i) => `${i.name || i.productId} × ${i.quantity}`).join(', '),
    refundText: refundText(o),
    refundStates: refundStates(o),
    canPay: o.status === 'NOTPAY',
  };
}

Component({
  data: { loading: true, error: '', rows: [] as Row[], payingNo: '' },
  methods: {
    onLoad() {
      this.load();
    },
    onPullDownRefresh() {
      this.load().then(() => wx.stopPullDownRefresh({}));
    },
    async load() {
      this.setData({ loading: !this.data.rows.length, error: '' });
      try {
        const orders = await api.listOrders();
        this.setData({ loading: false, rows: orders.map(row) });
      } catch (err) {
        this.setData({ loading: false, error: plainWords(err) });
      }
    },
    async onPay(e: WechatMiniprogram.BaseEvent) {
      // One payment at a time on this page, whichever row was tapped.
      if (this.data.payingNo) return;
      const outTradeNo = String(e.currentTarget.dataset.no);
      this.setData({ payingNo: outTradeNo });
      try {
        const outcome = await payAndConfirm({ outTradeNo });
        showToast(OUTCOME_WORDS[outcome.kind].title, outcome.kind === 'paid' ? 'success' : 'none');
      } catch (err) {
        showToast(plainWords(err));
      }
      this.setData({ payingNo: '' });
      await this.load();
    },
  },
});
