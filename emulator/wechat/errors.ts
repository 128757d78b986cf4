// The real error envelope: HTTP status + {code, message, detail?}. detail for field problems follows
// the shape the real service uses: {field, value?, issue, location}.
export interface ErrorDetail {
  field?: string;
  value?: unknown;
  issue?: string;
  location?: 'body' | 'query' | 'path' | 'header';
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

export const paramError = (field: string, issue: string, location: ErrorDetail['location'] = 'body'): SimError =>
  new SimError(400, 'PARAM_ERROR', `${field}: ${issue}`, { field, issue, location });

export const signError = (message: string): SimError => new SimError(401, 'SIGN_ERROR', message);
export const orderNotExist = (): SimError => new SimError(404, 'ORDER_NOT_EXIST', '订单不存在');
export const resourceNotExists = (what: string): SimError => new SimError(404, 'RESOURCE_NOT_EXISTS', `${what} does not exist`);
