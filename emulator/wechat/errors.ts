// The real error envelope: HTTP status + {code, message, detail?}. A field problem has the detail
// shape captured from the real service, {location, value}, with the field named in `message`
// (notes/wechatpay-v3.md "Which key signs a response").
export interface ErrorDetail {
  location?: 'body' | 'query' | 'path' | 'header';
  value?: unknown;
  [k: string]: unknown;
}

export class SimError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly detail?: ErrorDetail,
  ) {
    super(message);
  }

  toBody(): { code: string; message: string; detail?: ErrorDetail } {
    return this.detail ? { code: this.code, message: this.message, detail: this.detail } : { code: this.code, message: this.message };
  }
}

export const paramError = (field: string, issue: string, location: ErrorDetail['location'] = 'body', value?: unknown): SimError =>
  new SimError(400, 'PARAM_ERROR', `${field}: ${issue}`, value === undefined ? { location } : { location, value });

/** The real service's names for the byte-limited text fields (used in its message). */
const FIELD_NAMES: Record<string, string> = { description: '商品描述', attach: '附加数据', reason: '退款原因' };

/** A text over its UTF-8 byte limit, worded as the real service words it. */
export const byteLimitError = (field: string, value: string, bytes: number, max: number): SimError =>
  new SimError(
    400,
    'PARAM_ERROR',
    `输入源“/body/${field.replace(/\./g, '/')}”映射到值字段“${FIELD_NAMES[field] ?? field}”字符串规则校验失败，字节数 ${bytes}，大于最大值 ${max}`,
    { location: 'body', value },
  );

export const signError = (message: string): SimError => new SimError(401, 'SIGN_ERROR', message);
export const orderNotExist = (): SimError => new SimError(404, 'ORDER_NOT_EXIST', '订单不存在');
export const resourceNotExists = (what: string): SimError => new SimError(404, 'RESOURCE_NOT_EXISTS', `${what} does not exist`);
