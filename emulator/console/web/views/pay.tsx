// The customer at WeChat's payment sheet: pay, fail or cancel the order's live prepay (POST /__sim/pay).
// A failed JSAPI payment leaves the order NOTPAY and payable (PAYERROR is micropay-only), so "Fail" never offers it.
import { useAction } from '../flash';
import { t } from '../i18n';

export function PayButtons({ outTradeNo, compact }: { outTradeNo: string; compact?: boolean }) {
  const act = useAction();
  const pay = (result: 'SUCCESS' | 'FAIL' | 'CANCEL') => act(t(result === 'SUCCESS' ? 'pay.label.pay' : result === 'FAIL' ? 'pay.label.fail' : 'pay.label.cancel', { no: outTradeNo }), 'POST', '/api/pay', { outTradeNo, result });
  return (
    <span class="buttons" data-testid="pay-buttons">
      <button class="primary" onClick={() => pay('SUCCESS')} data-testid="pay">{compact ? t('pay.pay') : t('pay.payAsCustomer')}</button>
      <button onClick={() => pay('FAIL')} data-testid="fail">{t('pay.fail')}</button>
      <button onClick={() => pay('CANCEL')} data-testid="cancel">{t('pay.cancel')}</button>
    </span>
  );
}
