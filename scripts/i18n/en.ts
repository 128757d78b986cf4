// The CLI's texts in English (LANG=en_US.UTF-8 or --lang en). Same keys as zh-CN.ts (tsc and test/i18n check).
import type { TableOf } from '../../lib/contract/i18n';
import { zhCN } from './zh-CN';

export const en: TableOf<typeof zhCN> = {
  'demo.title': 'wxcloud-pay demo: the payment loop on the local stack (no network, no account)\n',
  'demo.step.start': 'build functions + start the stack',
  'demo.step.startDone': 'CloudBase emulator {cloudbase}, WeChat Pay simulator {simulator}',
  'demo.step.loginDone': 'openid {openid} (from the platform context)',
  'demo.step.createOrderDone': '{outTradeNo}, {amount} (priced on the server), {package}',
  'demo.step.pay': 'pay (wx.requestPayment in the simulator)',
  'demo.step.payRefused': 'payment refused: {body}',
  'demo.step.payDone': '{errMsg}, paySign verified, transaction {transactionId}',
  'demo.step.notify': 'notification → payNotify',
  'demo.step.notifyWait': 'the notification to be acknowledged',
  'demo.step.notifyDone': '{eventType}, signed + AES-256-GCM, answered HTTP {statuses}',
  'demo.step.query': 'queryOrder (the client confirms)',
  'demo.step.queryDone': 'status {status}, paid at {paidAt}',
  'demo.expectedSuccess': 'expected SUCCESS for {amount}, got {status}',
  'demo.paid': '\nPaid {amount} for order {outTradeNo}: believed only after a verified notification.\n',
  'demo.step.ship': 'shipOrder (staff record the parcel)',
  'demo.step.shipDone': '{status} via uploadShippingInfo (cloud call), {kind}, "{itemDesc}"',
  'demo.step.confirm': 'customer confirms receipt (platform)',
  'demo.step.confirmRefused': 'confirm refused: {body}',
  'demo.step.confirmDone': 'platform order_state {state} (交易完成), settlement push sent',
  'demo.step.settle': 'settlement push → tradeEvents → getOrder',
  'demo.step.settleWait': 'the order to be SETTLED',
  'demo.step.settleDone': 'fulfilment {fulfilment}, payment status still {status}',
  'demo.settled': '\nShipped, received and settled ({status}) through the mini-program platform: the merchant\'s money is no longer frozen.\n',
  'demo.step.nextDay': 'next day 10:00 China time (simulator clock)',
  'demo.step.nextDayDone': 'clock moved {hours} h',
  'demo.step.reconcile': 'reconcileBill {billDate} (staff)',
  'demo.step.reconcileDone': '{status}: bill downloaded, SHA-1 verified, {payments} payment row(s) matched against the database',
  'demo.expectedMatched': "expected the day's bill to match, got {status}",
  'demo.logLines': '({count} function log lines)',
  'demo.logLinesHint': '({count} function log lines; run with -- --verbose to see them)',
  'demo.timedOut': 'timed out waiting for {what}',
  'demo.failed': '\ndemo failed: {message}',

  'start.usage': 'npm start [-- --seed FILE] [--import DIR] [--export DIR] [--no-reload] [--lang en]',
  'start.needsValue': '{flag} needs a value ({usage})',
  'start.unknownArg': 'unknown argument {arg} ({usage})',
  'start.imported': 'Imported {count} files from {dir} (exported {exportedAt}) into {dataDir}',
  'start.buildingMp': 'Building the mini-program (local mode)…',
  'start.banner': `
wxcloud-pay local stack is up (data in {dataDir})

  Web console          {consoleUrl}   (orders, notifications, faults, pay as the customer)

  CloudBase emulator   {cloudbaseUrl}
    TCB admin API      {cloudbaseUrl}/admin        (wx-server-sdk: TCB_CONTEXT_CNFG)
    call a function    POST {cloudbaseUrl}/functions/{name}  {"data": {...}, "openid": "..."}
    payNotify          {cloudbaseUrl}{notifyPath}   (notify_url {notifyOrigin}{notifyPath})
    fire the timer     POST {cloudbaseUrl}/__emulator/trigger/queryOrder
  WeChat Pay simulator {simulatorUrl}
    pay as the user    POST {simulatorUrl}/__sim/pay  {"prepay_id": "...", "result": "SUCCESS"}
    notifications      GET  {simulatorUrl}/__sim/notifications
  Dev merchant         appid {appid}, mchid {mchid}, env {envId} (keys in {dataDir}/credentials.json)
  Mini-program         built for local mode ({kib} KiB): open the project in WeChat DevTools
                       with "不校验合法域名" (domain checking off).

  Code changes         {reload}
  Terminal             npm run local -- help   (pay, refund, resend, timer, faults, orders, logs, reset)

Ctrl-C to stop{exportNote}.`,
  'start.reloadOn': 'lib/ and cloudfunctions/ are watched: saved changes are rebuilt and used by the next call',
  'start.reloadOff': 'not watched (--no-reload)',
  'start.exportNote': ' (the state is then exported to {dir})',
  'start.exported': 'Exported the local state ({count} files) to {dir}; load it with npm start -- --import {dir}',
  'start.failed': 'npm start failed: {message}',

  // the local stack (npm start, npm run demo)
  'stack.badPort': "{envName} must be a port number (got \"{raw}\").",
  'stack.portInUse': "{service}: port {port} on 127.0.0.1 is already in use (another npm start?). Stop what listens there, or set {envName} to a free port.",
  'stack.building': "Building the cloud functions (esbuild)…",
  'stack.built': "  built {count} functions in {ms} ms",
  'stack.startingSimulator': "Starting the WeChat Pay simulator (port {port}, data {dataDir})…",
  'stack.simulator': "WeChat Pay simulator",
  'stack.startingCloudbase': "Starting the CloudBase emulator (port {port})…",
  'stack.cloudbase': "CloudBase emulator",
  'stack.seeded': "Seeded from {source}: {what}",
  'stack.seededNothing': 'nothing new',
  'stack.seededCounts': '{products} products, {users} users added',
  'stack.seededCountsPictures': '{products} products ({images} pictures in cloud storage), {users} users added',
  'stack.startingConsole': "Starting the web console (port {port})…",
  'stack.console': "Web console",

  'local.help': `npm run local -- <command>
  pay <outTradeNo> [--fail|--cancel]   pay (or fail/cancel) an order's prepay as the customer
  refund <outTradeNo> [yuan]           refund in full, or that many yuan, as the local staff member
  resend <notificationId>              send a WeChat Pay notification again now
  timer [function]                     fire a function's timer now (default queryOrder)
  faults <json|clear> [--db]           set WeChat Pay simulator faults (--db: the CloudBase database's)
  orders [--status S]                  list orders, newest first
  logs [--function F] [--follow]       function logs (--follow: keep printing new lines)
  reset                                empty orders, events and refunds, and reset WeChat Pay
  bill [YYYY-MM-DD|yesterday] [--get|--list]  reconcile a day against WeChat Pay's bill as the local staff member (reconcileBill; default yesterday)
  receipt confirm|auto <outTradeNo>    on the emulated mini-program platform: confirm receipt as the customer / auto-confirm now (auto --all; list: the platform's orders)
  (--lang en: English; LANG=zh_CN or --lang zh-CN: Chinese, the default)`,
  'local.unreachable': 'cannot reach {origin}: is the local stack running (npm start)?',
  'local.noOrder': 'WeChat Pay has no order {outTradeNo} (create it first; npm run local -- orders lists them)',
  'local.functionFailed': '{name} failed: {errMsg}',
  'local.functionRefused': '{name} refused: {code}: {message}',
  'local.retryable': ' (retrying may help)',
  'local.usage': 'usage: {usage}',
  'local.pay.done': '{outTradeNo}: {errMsg}, WeChat Pay trade_state {tradeState}',
  'local.pay.transaction': ' (transaction {transactionId})',
  'local.refund.reason': 'npm run local -- refund',
  'local.refund.unexpected': 'refund {outTradeNo}: unexpected answer {answer}',
  'local.refund.done': '{outTradeNo}: refund {outRefundNo} of ¥{amount} is {status}',
  'local.resend.done': 'notification {id}: resent for {outTradeNo} ({eventType}), attempt {attempt} {state}',
  'local.timer.done': 'timer {name} fired: {result}',
  'local.faults.notJson': 'faults: {spec} is not JSON (e.g. \'{"dropNotifications":1}\') or "clear"',
  'local.faults.db': 'CloudBase database',
  'local.faults.sim': 'WeChat Pay simulator',
  'local.faults.done': '{target} faults now {faults}',
  'local.orders.none': 'no orders',
  'local.orders.noneStatus': 'no {status} orders',
  'local.logs.none': 'no function log lines yet',
  'local.logs.noneFrom': 'no log lines from {fn}',
  'local.reset.done': 'reset: WeChat Pay simulator emptied, faults cleared, deleted {deleted} (products kept)',
  'local.unknownCommand': 'unknown command "{command}"\n{help}',
  'local.commandFailed': '{command} failed: {message}',

  'bill.usage': 'usage: {cmd} [YYYY-MM-DD|yesterday|today] [--get|--list]   (needs `npm start` running)',
  'bill.noStack': 'no local stack at {base}: start it with `npm start` (or set CLOUDBASE_URL)',
  'bill.failed': 'reconcileBill failed: {detail}',
  'bill.listLine': '{billDate}  {status} matched {matched}, healed {healed}, discrepancies {discrepancies}',
  'bill.none': 'No reconciliation of {billDate} yet: run `{cmd} {billDate}`.',
  'bill.noDays': 'No reconciliation yet: run `{cmd} <YYYY-MM-DD>`, or wait for the reconcileBill timer.',
  'bill.status.MATCHED': 'every line of the bill matches our records',
  'bill.status.HEALED': 'matched after healing payments/refunds we had missed (verified queries)',
  'bill.status.DISCREPANCIES': 'discrepancies need a person (listed below, also logged as [ALERT])',
  'bill.status.NOT_READY': 'WeChat Pay is still generating the bill (ready after 10:00 China time the next day); the timer retries',
  'bill.status.NO_STATEMENT': 'no trades that day, and none on our side either',
  'bill.status.FAILED': 'the bill could not be downloaded or verified; nothing was changed (see error)',
  'bill.status.RUNNING': 'stopped at its time budget; the next run resumes from the cursor',
  'bill.day': 'Bill {billDate}: {status} — {text}',
  'bill.wechat': '  WeChat Pay: {count} rows, gross {gross}, refunds {refunds}, fees {fees}, net {net}',
  'bill.ours': '  ours:       {paid} paid, gross {gross}, {refundCount} refunds {refunds}, net {net}',
  'bill.rows': '  matched {matched}, healed {healed}, discrepancies {discrepancies}, dated on a neighbouring day {shifted} (of {payments} payment + {refunds} refund rows)',
  'bill.healedRefund': 'refund {outRefundNo} of ',
  'bill.healed': '  healed   {refund}{outTradeNo} {from} → {to} ({amount})',
  'bill.sides': ' [bill {billAmount} {billStatus} | ours {oursAmount} {oursStatus}]',
  'bill.more': '  … and {count} more',
  'bill.error': '  error {code}: {message}',
  'bill.hash': '  SHA-1 {hash}, run {runs} by {by}',

  'receipt.usage': 'usage: {cmd} confirm <outTradeNo> | auto <outTradeNo> | auto --all | list   (needs `npm start` running)',
  'receipt.state.1': '待发货 awaiting shipment',
  'receipt.state.2': '已发货 shipped',
  'receipt.state.3': '确认收货 received',
  'receipt.state.4': '交易完成 settled',
  'receipt.noOrders': 'The platform knows no order yet (it learns each one when it is shipped or looked up).',
  'receipt.nothingShipped': 'No shipped order to confirm: record the shipment first (shipOrder, or the console).',
  'receipt.byCustomer': 'confirmed by the customer',
  'receipt.automatic': 'confirmed automatically',
  'receipt.moved': '{line}  — {how}, settlement push sent',
};
