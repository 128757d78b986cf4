/**
 * The functions' wiring: wx-server-sdk initialised for the current environment, configuration
 * read once per instance (a bad value fails the first call with a message naming the variable),
 * and the WeChat Pay client built lazily by a factory — never at import time, so a cold start
 * that only lists products pays for no key parsing. Secret variables may hold `ssm:` references
 * (lib/ssm): entry points await prepareSecrets() first, and a rotated secret rebuilds the
 * configuration and the client on the next call.
 */
import cloud from 'wx-server-sdk';
import { loadConfig, type WxPayConfig as AppConfig } from '../config';
import { consoleLogger } from '../log';
import { asDatabase, type Database } from '../store/db';
import type { OrderDeps } from '../orders/deps';
import type { NotifyDeps } from './pay-notify';
import { loadOrderSettings } from '../orders/settings';
import type { RefundDeps } from '../refunds/deps';
import { handleRefundNotification } from '../refunds/notify';
import { loadRefundSettings } from '../refunds/settings';
import type { BillDeps } from '../bills/deps';
import { loadBillSettings } from '../bills/settings';
import { secretEnv, secretsGeneration } from '../ssm/env';
import { createPayGateway } from './pay-client';
import type { FulfilmentDeps } from '../fulfilment/deps';
import { loadCheckMinAge, loadOutboxMinAge, loadShippingStaff } from '../fulfilment/settings';
import { cloudCallPlatform } from '../platform/cloud-call';
import { loadPlatformConfig } from '../platform/config';
import { tokenPlatform } from '../platform/token';

export { prepareSecrets } from '../ssm/env';

// The SDK's typings predate DYNAMIC_CURRENT_ENV being accepted as env; at runtime it is the documented value.
cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV as unknown as string });

export { cloud };

export function database(): Database {
  return asDatabase(cloud.database());
}

let configCache: AppConfig | undefined;
/** secretsGeneration() the caches below were built with: a rotated SSM secret rebuilds them. */
let builtWith = -1;
let payCache: ReturnType<typeof createPayGateway> | undefined;
let orderDepsCache: OrderDeps | undefined;
let notifyDepsCache: NotifyDeps | undefined;
let refundDepsCache: RefundDeps | undefined;
let billDepsCache: BillDeps | undefined;

function config(): AppConfig {
  if (builtWith !== secretsGeneration()) {
    configCache = payCache = orderDepsCache = notifyDepsCache = refundDepsCache = billDepsCache = undefined;
    builtWith = secretsGeneration();
  }
  // process.env itself unless a secret variable holds an ssm: reference (resolved by prepareSecrets()).
  configCache ??= loadConfig(secretEnv());
  return configCache;
}

function pay(): ReturnType<typeof createPayGateway> {
  payCache ??= createPayGateway(config());
  return payCache;
}

export function orderDeps(): OrderDeps {
  const cfg = config();
  if (!orderDepsCache) {
    orderDepsCache = {
      db: database(),
      pay: pay().gateway,
      merchant: { appid: cfg.appid, mchid: cfg.mchid, notifyUrl: cfg.notifyUrl },
      settings: loadOrderSettings(process.env),
      now: Date.now,
      log: consoleLogger,
    };
  }
  return orderDepsCache;
}

export function notifyDeps(): NotifyDeps {
  config(); // drops stale caches after a secret rotation
  if (!notifyDepsCache) {
    notifyDepsCache = {
      ...orderDeps(),
      verifyNotification: (input) => pay().client.parseNotification(input),
      // Built on first use: a bad REFUND_ADMIN_OPENIDS must not stop payment notifications.
      onRefundNotification: (notification) => handleRefundNotification(refundDeps(), notification),
    };
  }
  return notifyDepsCache;
}

/** Order deps plus the refund calls of the same WeChat Pay client and the refund settings. */
export function refundDeps(): RefundDeps {
  config(); // drops stale caches after a secret rotation
  refundDepsCache ??= { ...orderDeps(), refundPay: pay().client, refundSettings: loadRefundSettings(process.env) };
  return refundDepsCache;
}

/** Refund deps plus the bill calls of the same client and the bill settings (reconcileBill). */
export function billDeps(): BillDeps {
  config(); // drops stale caches after a secret rotation
  billDepsCache ??= { ...refundDeps(), bills: pay().client, billSettings: loadBillSettings(process.env) };
  return billDepsCache;
}

let fulfilmentDepsCache: FulfilmentDeps | undefined;
let fulfilmentBuiltWith = -1;

/** Shipping after payment: the platform by configuration (cloud call or access token), staff openids. */
export function fulfilmentDeps(): FulfilmentDeps {
  if (fulfilmentBuiltWith !== secretsGeneration()) fulfilmentDepsCache = undefined;
  fulfilmentBuiltWith = secretsGeneration();
  if (!fulfilmentDepsCache) {
    const env = secretEnv();
    const cfg = config();
    const platform = loadPlatformConfig(env);
    fulfilmentDepsCache = {
      db: database(),
      platform: platform.transport === 'cloud' ? cloudCallPlatform(cloud) : tokenPlatform({ ...platform, now: Date.now }),
      mchid: cfg.mchid,
      staffOpenids: loadShippingStaff(env),
      checkMinAgeSeconds: loadCheckMinAge(env),
      outboxMinAgeSeconds: loadOutboxMinAge(env),
      now: Date.now,
      log: consoleLogger,
    };
  }
  return fulfilmentDepsCache;
}
