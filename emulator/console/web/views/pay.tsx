// The customer at WeChat's payment sheet: pay, fail or cancel the order's live prepay (POST /__sim/pay).
// A failed JSAPI payment leaves the order NOTPAY and payable (PAYERROR is micropay-only), so "Fail" never offers it.
import { useAction } from '../flash';

export function PayButtons({ outTradeNo, compact }: { outTradeNo: string; compact?: boolean }) {
  const act = useAction();
  const pay = (result: 'SUCCESS' | 'FAIL' | 'CANCEL') => act(`${result === 'SUCCESS' ? 'Pay' : result === 'FAIL' ? 'Fail' : 'Cancel'} ${outTradeNo}`, 'POST', '/api/pay', { outTradeNo, result });
  return (
    <span class="buttons" data-testid="pay-buttons">
      <button class="primary" onClick={() => pay('SUCCESS')} data-testid="pay">{compact ? 'Pay' : 'Pay as customer'}</button>
      <button onClick={() => pay('FAIL')} data-testid="fail">Fail</button>
      <button onClick={() => pay('CANCEL')} data-testid="cancel">Cancel</button>
    </span>
  );
}
