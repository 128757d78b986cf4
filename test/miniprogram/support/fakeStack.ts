// A small stand-in for the two local servers, speaking their wire formats over real HTTP on
// 127.0.0.1 port 0: the CloudBase emulator's `POST /functions/{name}` ({data, openid} → {result} |
// {errCode, errMsg}) and the WeChat Pay simulator's payer `POST /__sim/pay` ({prepay_id, result} or the requestPayment params).
// It lets the local-mode build and the HTTP-forwarding shim be tested before the real stack is wired;
// the end-to-end test against the real emulators uses the same shapes.
import http = require('http');
import { AddressInfo } from 'net';

export interface FakeStack {
  url: string;
  requests: Array<{ path: string; body: any }>;
  orders: Map<string, { status: string; total: number; openid: string }>;
  close(): Promise<void>;
}

const PRICES: Record<string, number> = { coffee: 1800, tea: 990 };

export async function startFakeStack(): Promise<FakeStack> {
  const requests: FakeStack['requests'] = [];
  const orders: FakeStack['orders'] = new Map();
  let seq = 0;

  function run(name: string, data: any, openid: string): unknown {
    switch (name) {
      case 'login': return { openid };
      case 'listProducts': return { products: Object.keys(PRICES).map((id) => ({ _id: id, name: id, price: PRICES[id], active: true })) };
      case 'createOrder': {
        const no = data.outTradeNo || `L${++seq}`;
        if (!orders.has(no)) {
          const total = (data.items || []).reduce((n: number, i: any) => n + PRICES[i.productId] * i.quantity, 0);
          orders.set(no, { status: 'NOTPAY', total, openid });
        }
        const o = orders.get(no)!;
        return { outTradeNo: no, amount: { total: o.total, currency: 'CNY' }, payment: { timeStamp: '1', nonceStr: 'n', package: `prepay_id=wx_${no}`, signType: 'RSA', paySign: 's' } };
      }
      case 'queryOrder': {
        const o = orders.get(data.outTradeNo);
        if (!o || o.openid !== openid) return { error: { code: 'ORDER_NOT_FOUND', message: 'no such order' } };
        return { outTradeNo: data.outTradeNo, status: o.status, amount: { total: o.total, currency: 'CNY' } };
      }
      default: return undefined;
    }
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {};
      const path = req.url || '';
      requests.push({ path, body });
      const send = (status: number, json: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(json));
      };
      const fn = /^\/functions\/([A-Za-z]+)$/.exec(path);
      if (req.method === 'POST' && fn) {
        const result = run(fn[1], body.data || {}, body.openid);
        return result === undefined ? send(404, { errCode: -501000, errMsg: `FUNCTION_NOT_FOUND ${fn[1]}` }) : send(200, { result });
      }
      if (req.method === 'POST' && path === '/__sim/pay') {
        // Like the simulator: {prepay_id} or the wx.requestPayment params ({package: "prepay_id=…"}).
        const no = String(body.prepay_id || String(body.package || '').replace(/^prepay_id=/, '')).replace(/^wx_/, '');
        const o = orders.get(no);
        if (!o) return send(404, { code: 'NOT_FOUND', message: 'unknown prepay_id' });
        if (body.result === 'SUCCESS') o.status = 'SUCCESS';
        if (body.result === 'PAYERROR') o.status = 'PAYERROR';
        return send(200, { ok: true });
      }
      send(404, { code: 'NOT_FOUND', message: path });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    orders,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
