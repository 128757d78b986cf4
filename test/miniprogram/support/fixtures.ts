// Function answers shaped like the contract's answer types (lib/contract/answers.ts).
export const PRODUCTS = [
  { _id: 'coffee', name: 'Coffee', price: 1800, active: true },
  { _id: 'tea', name: 'Green tea', price: 990, active: true },
  { _id: 'cake', name: 'Cheesecake', price: 2505, active: true },
  { _id: 'old', name: 'Discontinued', price: 100, active: false },
];

export function created(outTradeNo: string, total: number) {
  return {
    outTradeNo,
    amount: { total, currency: 'CNY' },
    payment: { timeStamp: '1700000000', nonceStr: 'n0nce', package: `prepay_id=wx${outTradeNo}`, signType: 'RSA', paySign: 'c2lnbg==' },
  };
}

export function state(outTradeNo: string, status: string, total: number) {
  return { outTradeNo, status, amount: { total, currency: 'CNY' } };
}

export function fnError(code: string, message = code) {
  return { error: { code, message } };
}
