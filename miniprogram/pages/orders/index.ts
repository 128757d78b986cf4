// My orders: the caller's orders with their state and refunds; an unpaid one can be paid again.
import { api, OrderView } from '../../services/api';
import { plainWords } from '../../services/errors';
import { formatPrice } from '../../../lib/contract/money';
import { payAndConfirm } from '../../services/payflow';
import { canConfirmReceipt } from '../../../lib/contract/fulfilment';
import { openConfirmReceipt } from '../../services/receipt';
import { CONFIRM_RECEIPT_WORDS, createdText, fulfilmentText, OUTCOME_WORDS, parcelLines, refundStates, refundText, RefundState, statusText } from '../../services/status';
import { showToast, setTitle } from '../../services/wxp';
import { pageTexts, t } from '../../i18n';

interface Row { outTradeNo: string; status: string; statusText: string; totalText: string; itemsText: string; createdText: string; refundText: string; refundStates: RefundState[]; canPay: boolean; fulfilmentText: string; parcels: string[]; canConfirm: boolean; transactionId: string }

function row(o: OrderView): Row {
  return {
    outTradeNo: o.outTradeNo,
    status: o.status,
    statusText: statusText(o.status),
    totalText: formatPrice(o.amount.total),
    itemsText: (o.items || []).map((i) => t('orders.itemLine', { name: i.name || i.productId, quantity: i.quantity })).join(t('orders.itemSeparator')),
    createdText: createdText(o),
    refundText: refundText(o),
    refundStates: refundStates(o),
    canPay: o.status === 'NOTPAY',
    fulfilmentText: fulfilmentText(o),
    parcels: parcelLines(o),
    canConfirm: o.status === 'SUCCESS' && canConfirmReceipt(o.fulfilment) && !!o.fulfilment?.transactionId,
    transactionId: o.fulfilment?.transactionId || '',
  };
}

Component({
  data: { m: pageTexts(), loading: true, error: '', rows: [] as Row[], payingNo: '', confirmWord: CONFIRM_RECEIPT_WORDS.button },
  methods: {
    onLoad() {
      setTitle(t('title.orders'));
      this.load();
    },
    onShow() {
      // Back from the confirm-receipt component, the server has checked (App.onShow): show its word.
      if (this.data.rows.length) this.load();
    },
    async onConfirmReceipt(e: WechatMiniprogram.BaseEvent) {
      try {
        await openConfirmReceipt(String(e.currentTarget.dataset.no), String(e.currentTarget.dataset.tx));
      } catch {
        showToast(CONFIRM_RECEIPT_WORDS.failed);
      }
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
