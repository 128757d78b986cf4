/**
 * The console's only way in: the stack's documented interfaces. The TCB admin wire for the
 * database, POST /functions/{name} for the customer, /__emulator/* (platform included) on the CloudBase emulator and
 * /__sim/* on the WeChat Pay simulator. No handle on either process's memory.
 */
import { adminWire, type AdminWire } from '../cloudbase/admin-client';

export interface UpstreamOptions {
  cloudbaseUrl: string;
  /** Defaults to `${cloudbaseUrl}/admin`. */
  adminUrl?: string;
  envId: string;
  simulatorUrl: string;
}

export interface UpstreamReply {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON relayed as is
}

export interface Upstream {
  admin: AdminWire;
  /** What wx.cloud.callFunction would get: `{result}` or `{errCode, errMsg}`. */
  callFunction(name: string, data: unknown, openid: string): Promise<UpstreamReply>;
  /** Fire a function's timer trigger now. */
  trigger(name: string): Promise<UpstreamReply>;
  cloudbaseFaults(body: unknown): Promise<UpstreamReply>;
  sim(method: 'GET' | 'POST', path: string, body?: unknown): Promise<UpstreamReply>;
  /** The CloudBase emulator's mini-program platform (/__emulator/platform/…). */
  platform(method: 'GET' | 'POST', path: string, body?: unknown): Promise<UpstreamReply>;
  /** Function log lines kept by the emulator (GET /__emulator/logs). */
  logs(query: URLSearchParams): Promise<UpstreamReply>;
}

async function request(url: string, method: string, body?: unknown): Promise<UpstreamReply> {
  const res = await fetch(url, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = undefined;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = { text };
    }
  }
  return { status: res.status, body: parsed };
}

export function createUpstream(o: UpstreamOptions): Upstream {
  const seg = encodeURIComponent;
  return {
    admin: adminWire(o.adminUrl ?? `${o.cloudbaseUrl}/admin`, o.envId),
    callFunction: (name, data, openid) => request(`${o.cloudbaseUrl}/functions/${seg(name)}`, 'POST', { data, openid }),
    trigger: (name) => request(`${o.cloudbaseUrl}/__emulator/trigger/${seg(name)}`, 'POST'),
    cloudbaseFaults: (body) => request(`${o.cloudbaseUrl}/__emulator/faults`, 'POST', body),
    sim: (method, path, body) => request(`${o.simulatorUrl}/__sim${path}`, method, body),
    platform: (method, path, body) => request(`${o.cloudbaseUrl}/__emulator/platform${path}`, method, body),
    logs: (query) => request(`${o.cloudbaseUrl}/__emulator/logs?${query}`, 'GET'),
  };
}
