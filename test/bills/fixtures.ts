/**
 * Bill fixtures written by hand from the documented layout (shared notes: bills — the column lists,
 * the backtick on every value, yuan with 2 decimals and fees with 5), not copied from any file.
 */
export const ALL_HEADER =
  '交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注';
export const ALL_SUMMARY_HEADER = '总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额';

const tick = (values: string[]): string => values.map((v) => `\`${v}`).join(',');

/** A paid order of ¥12.34 with a product name holding a comma, quotes and CJK. */
export const ALL_PAYMENT = tick([
  '2026-11-30 09:15:02', 'wx0000000000000001', '1900000001', '0', '', '4200000001202611300000000001', 'T20261130A1', 'oUSER0001',
  'JSAPI', 'SUCCESS', 'OTHERS', 'CNY', '12.34', '0.00', '0', '0', '0.00', '0.00', '', '', '拿铁, "大杯"', 'attach,x', '0.07404', '0.60%', '12.34', '0.00', '',
]);
/** A ¥5.00 refund of that order (refund row: 应结订单金额 and 订单金额 0.00, fee given back). */
export const ALL_REFUND = tick([
  '2026-11-30 18:00:00', 'wx0000000000000001', '1900000001', '0', '', '4200000001202611300000000001', 'T20261130A1', 'oUSER0001',
  'JSAPI', 'REFUND', 'OTHERS', 'CNY', '0.00', '0.00', '50300000012026113000000001', 'R20261130A1', '5.00', '0.00', 'ORIGINAL', 'SUCCESS', '拿铁, "大杯"', 'attach,x', '-0.03000', '0.60%', '0.00', '5.00', '',
]);
export const ALL_SUMMARY = tick(['2', '12.34', '5.00', '0.00', '0.04404', '12.34', '5.00']);

export const allBill = (eol = '\n', bom = ''): string => `${bom}${[ALL_HEADER, ALL_PAYMENT, ALL_REFUND, ALL_SUMMARY_HEADER, ALL_SUMMARY].join(eol)}${eol}`;

export const SUCCESS_HEADER =
  '交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,商品名称,商户数据包,手续费,费率,订单金额,费率备注';
export const successBill = (): string => [
  SUCCESS_HEADER,
  tick(['2026-11-30 23:59:59', 'wx0000000000000001', '1900000001', '0', 'dev1', '4200000002', 'T2', 'oUSER2', 'JSAPI', 'SUCCESS', 'CMB_CREDIT', 'CNY', '0.01', '0.00', '咖啡', '', '0.00000', '0.60%', '0.01', '']),
  '总交易单数,应结订单总金额,手续费总金额,订单总金额',
  tick(['1.0', '0.01', '0.00000', '0.01']),
  '',
].join('\n');

export const REFUND_HEADER =
  '交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,退款申请时间,退款成功时间,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注';
export const refundBill = (): string => [
  REFUND_HEADER,
  tick(['2026-11-30 10:00:00', 'wx0000000000000001', '1900000001', '0', '', '4200000003', 'T3', 'oUSER3', 'JSAPI', 'REFUND', 'OTHERS', 'CNY', '0.00', '0.00',
    '2026-11-30 10:00:00', '2026-11-30 10:00:05', '5030000003', 'R3', '1.00', '0.00', 'BALANCE', 'PROCESSING', '茶', '', '-0.00600', '0.60%', '0.00', '1.00', '']),
  ALL_SUMMARY_HEADER,
  tick(['1', '0.00', '1.00', '0.00', '-0.00600', '0.00', '1.00']),
].join('\r\n');

export const FUNDFLOW_HEADER = '记账时间,微信支付业务单号,资金流水单号,业务名称,业务类型,收支类型,收支金额(元),账户结余(元),资金变更提交申请人,备注,业务凭证号';
export const fundFlowBill = (): string => [
  FUNDFLOW_HEADER,
  tick(['2026-11-30 09:15:02', '4200000001', '1000000001', '交易', '交易', '收入', '12.34', '112.34', 'system', '', 'T20261130A1']),
  tick(['2026-11-30 09:15:02', '4200000001', '1000000002', '扣除交易手续费', '扣除交易手续费', '支出', '0.07', '112.27', 'system', '手续费, 费率0.60%', 'T20261130A1']),
  '资金流水总笔数,收入笔数,收入金额,支出笔数,支出金额',
  tick(['2', '1', '12.34', '1', '0.07']),
  '',
].join('\n');

/** The legacy layout (24 columns, 总金额 …) older merchants may still get: we refuse it. */
export const LEGACY_HEADER =
  '交易时间,公众账号ID,商户号,子商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,总金额,代金券或立减优惠金额,微信退款单号,商户退款单号,退款金额,代金券或立减优惠退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率';
