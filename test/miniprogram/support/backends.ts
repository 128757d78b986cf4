// Where the shim's calls go.
// - scriptedBackend: per-function handlers written in the test (page behaviour in isolation).
// - httpBackend: forwards callFunction to the CloudBase emulator's `POST /functions/{name}` and the
//   payment sheet to the WeChat Pay simulator's payer `POST /__sim/pay` (end-to-end runs).
import { Backend, PaymentRequest } from './wxShim';
import { httpRequest } from './http';

export type Handler = (data: any, callIndex: number) => unknown;

export interface ScriptedBackend extends Backend {
  handlers: Record<string, Handler>;
  /** How the payment sheet ends: resolve = paid, reject({errMsg}) = cancel/fail. */
  pay: (params: PaymentRequest) => Promise<void>;
  counts: Record<string, number>;
}

export function scriptedBackend(handlers: Record<string, Handler>): ScriptedBackend {
  const backend: ScriptedBackend = {
    handlers,
    counts: {},
    pay: async () => undefined,
    async callFunction(name, data) {
      const h = backend.handlers[name];
      if (!h) throw { errMsg: `cloud.callFunction:fail FUNCTION_NOT_FOUND ${name}` };
      const n = backend.counts[name] || 0;
      backend.counts[name] = n + 1;
      return h(data, n);
    },
    requestPayment(params) {
      return backend.pay(params);
    },
  };
  return backend;
}

export interface HttpBackendOptions {
  functionsUrl: string;
  openid: string;
  simulatorUrl?: string;
  /** What the simulated payer does: "SUCCESS" (default), "PAYERROR", or "CANCEL" (sheet closed). */
  payResult?: () => 'SUCCESS' | 'PAYERROR' | 'CANCEL';
}

export function httpBackend(o: HttpBackendOptions): Backend {
  return {
    async callFunction(name, data) {
      const res = await httpRequest('POST', `${o.functionsUrl}/functions/${encodeURIComponent(name)}`, { data, openid: o.openid });
      if (res.json && 'result' in res.json) return res.json.result;
      throw { errMsg: `cloud.callFunction:fail ${res.json ? `${res.json.errCode} ${res.json.errMsg}` : `HTTP ${res.status}`}` };
    },
    async requestPayment(params) {
      if (!o.simulatorUrl) throw { errMsg: 'requestPayment:fail no simulator configured' };
      const result = o.payResult ? o.payResult() : 'SUCCESS';
      // The page's wx.requestPayment params as they are, so the simulator verifies the paySign the
      // page was given (a wrong or reordered field fails like on a phone: PAY_SIGN_INVALID).
      const res = await httpRequest('POST', `${o.simulatorUrl}/__sim/pay`, { ...params, result });
      if (res.status >= 300) throw { errMsg: `requestPayment:fail simulator answered ${res.status} ${res.text}` };
      if (result === 'CANCEL') throw { errMsg: 'requestPayment:fail cancel' };
      if (result === 'PAYERROR') throw { errMsg: 'requestPayment:fail' };
    },
  };
}
