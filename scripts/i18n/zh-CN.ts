// The CLI's texts in Chinese (the default): npm run demo, start, local, bill, receipt, doctor, deploy.
// One flat table per language (lib/contract/i18n.ts); en.ts has exactly these keys. Technical
// identifiers (trade_state values, field names, error codes, function names) are passed in as
// {placeholders} or kept verbatim, as WeChat writes them.
export const zhCN = {
  // npm run demo
  'demo.title': 'wxcloud-pay 演示：在本地环境跑通整个支付流程（无需联网，无需账号）\n',
  'demo.step.start': '构建云函数并启动本地环境',
  'demo.step.startDone': 'CloudBase 模拟器 {cloudbase}，微信支付模拟器 {simulator}',
  'demo.step.loginDone': 'openid {openid}（来自平台上下文）',
  'demo.step.createOrderDone': '{outTradeNo}，{amount}（由服务端计价），{package}',
  'demo.step.pay': '支付（在模拟器中 wx.requestPayment）',
  'demo.step.payRefused': '支付被拒绝：{body}',
  'demo.step.payDone': '{errMsg}，paySign 已验证，交易单号 {transactionId}',
  'demo.step.notify': '支付通知 → payNotify',
  'demo.step.notifyWait': '支付通知被确认',
  'demo.step.notifyDone': '{eventType}，已签名 + AES-256-GCM 加密，应答 HTTP {statuses}',
  'demo.step.query': 'queryOrder（客户端确认）',
  'demo.step.queryDone': '状态 {status}，支付时间 {paidAt}',
  'demo.expectedSuccess': '应为 {amount} 的 SUCCESS，实际为 {status}',
  'demo.paid': '\n订单 {outTradeNo} 已支付 {amount}：只在收到验签通过的支付通知后才确认。\n',
  'demo.step.ship': 'shipOrder（商家录入快递）',
  'demo.step.shipDone': '{status}，经 uploadShippingInfo（云调用），{kind}，“{itemDesc}”',
  'demo.step.confirm': '用户确认收货（平台）',
  'demo.step.confirmRefused': '确认收货被拒绝：{body}',
  'demo.step.confirmDone': '平台 order_state {state}（交易完成），已推送结算消息',
  'demo.step.settle': '结算推送 → tradeEvents → getOrder',
  'demo.step.settleWait': '订单变为 SETTLED',
  'demo.step.settleDone': '履约状态 {fulfilment}，支付状态仍为 {status}',
  'demo.settled': '\n已发货、已收货并经小程序平台结算（{status}）：商家的资金不再冻结。\n',
  'demo.step.nextDay': '次日中国时间 10:00（模拟器时钟）',
  'demo.step.nextDayDone': '时钟前进 {hours} 小时',
  'demo.step.reconcile': 'reconcileBill {billDate}（商家）',
  'demo.step.reconcileDone': '{status}：账单已下载，SHA-1 已校验，{payments} 行支付记录已与数据库核对',
  'demo.expectedMatched': '当天账单应为 MATCHED，实际为 {status}',
  'demo.logLines': '（{count} 行云函数日志）',
  'demo.logLinesHint': '（{count} 行云函数日志；加 -- --verbose 可查看）',
  'demo.timedOut': '等待超时：{what}',
  'demo.failed': '\n演示失败：{message}',

  // npm start
  'start.usage': 'npm start [-- --seed 文件] [--import 目录] [--export 目录] [--no-reload] [--lang en]',
  'start.needsValue': '{flag} 需要一个值（{usage}）',
  'start.unknownArg': '未知参数 {arg}（{usage}）',
  'start.imported': '已从 {dir} 导入 {count} 个文件（导出于 {exportedAt}）到 {dataDir}',
  'start.buildingMp': '正在构建小程序（本地模式）…',
  'start.banner': `
wxcloud-pay 本地环境已启动（数据目录 {dataDir}）

  Web 控制台           {consoleUrl}   （订单、通知、故障注入、以顾客身份支付）

  CloudBase 模拟器     {cloudbaseUrl}
    TCB 管理 API       {cloudbaseUrl}/admin        （wx-server-sdk：TCB_CONTEXT_CNFG）
    调用云函数         POST {cloudbaseUrl}/functions/{name}  {"data": {...}, "openid": "..."}
    payNotify          {cloudbaseUrl}{notifyPath}   （notify_url {notifyOrigin}{notifyPath}）
    触发定时器         POST {cloudbaseUrl}/__emulator/trigger/queryOrder
  微信支付模拟器       {simulatorUrl}
    以用户身份支付     POST {simulatorUrl}/__sim/pay  {"prepay_id": "...", "result": "SUCCESS"}
    支付通知           GET  {simulatorUrl}/__sim/notifications
  开发商户             appid {appid}，mchid {mchid}，环境 {envId}（密钥在 {dataDir}/credentials.json）
  小程序               已按本地模式构建（{kib} KiB）：在微信开发者工具中打开项目，
                       并勾选“不校验合法域名”。

  代码改动             {reload}
  终端                 npm run local -- help   （pay、refund、resend、timer、faults、orders、logs、reset）

按 Ctrl-C 停止{exportNote}。`,
  'start.reloadOn': '正在监视 lib/ 和 cloudfunctions/：保存的改动会重新构建，下次调用即生效',
  'start.reloadOff': '未监视（--no-reload）',
  'start.exportNote': '（停止时状态会导出到 {dir}）',
  'start.exported': '已将本地状态（{count} 个文件）导出到 {dir}；用 npm start -- --import {dir} 载入',
  'start.failed': 'npm start 失败：{message}',

  // the local stack (npm start, npm run demo)
  'stack.badPort': "{envName} 必须是端口号（实际为 \"{raw}\"）。",
  'stack.portInUse': "{service}：127.0.0.1 的端口 {port} 已被占用（另一个 npm start？）。停掉占用它的程序，或把 {envName} 设为空闲端口。",
  'stack.building': "正在构建云函数（esbuild）…",
  'stack.built': "  已构建 {count} 个云函数，用时 {ms} ms",
  'stack.startingSimulator': "正在启动微信支付模拟器（端口 {port}，数据 {dataDir}）…",
  'stack.simulator': "微信支付模拟器",
  'stack.startingCloudbase': "正在启动 CloudBase 模拟器（端口 {port}）…",
  'stack.cloudbase': "CloudBase 模拟器",
  'stack.seeded': "已从 {source} 写入初始数据：{what}",
  'stack.seededNothing': '没有新增',
  'stack.seededCounts': '新增 {products} 个商品、{users} 个用户',
  'stack.seededCountsPictures': '新增 {products} 个商品（{images} 张图片已存入云存储）、{users} 个用户',
  'stack.startingConsole': "正在启动 Web 控制台（端口 {port}）…",
  'stack.console': "Web 控制台",

  // npm run local -- <command>
  'local.help': `npm run local -- <命令>
  pay <outTradeNo> [--fail|--cancel]   以顾客身份支付（或失败/取消）订单的预支付
  refund <outTradeNo> [元]             以本地商家员工身份全额退款，或退指定金额（元）
  ship <outTradeNo> [运单号 快递公司]   以本地商家员工身份发货（shipOrder；自提、同城、虚拟商品不填运单）
  resend <notificationId>              立即重发一条微信支付通知
  timer [function]                     立即触发云函数的定时器（默认 queryOrder）
  faults <json|clear> [--db]           设置微信支付模拟器的故障（--db：CloudBase 数据库的故障）
  orders [--status S]                  列出订单，最新的在前
  logs [--function F] [--follow]       云函数日志（--follow：持续输出新日志）
  reset                                清空订单、事件和退款，并重置微信支付模拟器
  bill [YYYY-MM-DD|yesterday] [--get|--list]  以本地商家员工身份按日对账（reconcileBill；默认昨天）
  receipt confirm|auto <outTradeNo>    在模拟的小程序平台上以顾客身份确认收货 / 立即自动确认（auto --all；list 列出平台订单）
  （加 --lang en 输出英文）`,
  'local.unreachable': '无法连接 {origin}：本地环境是否在运行（npm start）？',
  'local.noOrder': '微信支付中没有订单 {outTradeNo}（请先创建；npm run local -- orders 可列出订单）',
  'local.functionFailed': '{name} 调用失败：{errMsg}',
  'local.functionRefused': '{name} 拒绝：{code}：{message}',
  'local.retryable': '（重试可能有效）',
  'local.usage': '用法：{usage}',
  'local.pay.done': '{outTradeNo}：{errMsg}，微信支付 trade_state {tradeState}',
  'local.pay.transaction': '（交易单号 {transactionId}）',
  'local.refund.reason': 'npm run local -- refund',
  'local.refund.unexpected': 'refund {outTradeNo}：意外的应答 {answer}',
  'local.refund.done': '{outTradeNo}：退款 {outRefundNo}，金额 ¥{amount}，状态 {status}',
  'local.ship.done': '{outTradeNo}：履约状态 {status}（{kind}）{parcels}',
  'local.ship.replayed': '（与上次发货相同：没有重复上传）',
  'local.ship.pending': '；平台尚未确认上传，定时器会重发',
  'local.resend.done': '通知 {id}：已为 {outTradeNo}（{eventType}）重发，第 {attempt} 次尝试 {state}',
  'local.timer.done': '定时器 {name} 已触发：{result}',
  'local.faults.notJson': 'faults：{spec} 不是 JSON（例如 \'{"dropNotifications":1}\'）也不是 "clear"',
  'local.faults.db': 'CloudBase 数据库',
  'local.faults.sim': '微信支付模拟器',
  'local.faults.done': '{target}的故障现在为 {faults}',
  'local.orders.none': '没有订单',
  'local.orders.noneStatus': '没有状态为 {status} 的订单',
  'local.logs.none': '还没有云函数日志',
  'local.logs.noneFrom': '{fn} 没有日志',
  'local.reset.done': 'reset：微信支付模拟器已清空，故障已清除，已删除 {deleted}（保留商品）',
  'local.unknownCommand': '未知命令 "{command}"\n{help}',
  'local.commandFailed': '{command} 失败：{message}',

  // npm run bill
  'bill.usage': '用法：{cmd} [YYYY-MM-DD|yesterday|today] [--get|--list]   （需要 `npm start` 在运行）',
  'bill.noStack': '{base} 上没有本地环境：用 `npm start` 启动（或设置 CLOUDBASE_URL）',
  'bill.failed': 'reconcileBill 失败：{detail}',
  'bill.listLine': '{billDate}  {status} 已匹配 {matched}，已修复 {healed}，差异 {discrepancies}',
  'bill.none': '{billDate} 还没有对账记录：运行 `{cmd} {billDate}`。',
  'bill.noDays': '还没有对账记录：运行 `{cmd} <YYYY-MM-DD>`，或等待 reconcileBill 定时器。',
  'bill.status.MATCHED': '账单每一行都与我们的记录一致',
  'bill.status.HEALED': '通过验证过的查询修复了遗漏的支付/退款后一致',
  'bill.status.DISCREPANCIES': '存在差异，需要人工处理（列在下面，也以 [ALERT] 记入日志）',
  'bill.status.NOT_READY': '微信支付仍在生成账单（次日中国时间 10:00 后可用）；定时器会重试',
  'bill.status.NO_STATEMENT': '当天没有交易，我们这边也没有',
  'bill.status.FAILED': '账单无法下载或校验；未做任何改动（见 error）',
  'bill.status.RUNNING': '到达时间预算后暂停；下次运行从游标处继续',
  'bill.day': '账单 {billDate}：{status} — {text}',
  'bill.wechat': '  微信支付：{count} 行，总额 {gross}，退款 {refunds}，手续费 {fees}，净额 {net}',
  'bill.ours': '  我们：    {paid} 笔已支付，总额 {gross}，{refundCount} 笔退款 {refunds}，净额 {net}',
  'bill.rows': '  已匹配 {matched}，已修复 {healed}，差异 {discrepancies}，记在相邻日期 {shifted}（共 {payments} 行支付 + {refunds} 行退款）',
  'bill.healedRefund': '退款 {outRefundNo}，订单 ',
  'bill.healed': '  已修复   {refund}{outTradeNo} {from} → {to}（{amount}）',
  'bill.sides': ' [账单 {billAmount} {billStatus} | 我们 {oursAmount} {oursStatus}]',
  'bill.more': '  … 另有 {count} 条',
  'bill.error': '  错误 {code}：{message}',
  'bill.hash': '  SHA-1 {hash}，第 {runs} 次运行，发起者 {by}',

  // npm run receipt
  'receipt.usage': '用法：{cmd} confirm <outTradeNo> | auto <outTradeNo> | auto --all | list   （需要 `npm start` 在运行）',
  'receipt.state.1': '待发货',
  'receipt.state.2': '已发货',
  'receipt.state.3': '确认收货',
  'receipt.state.4': '交易完成',
  'receipt.noOrders': '平台还不知道任何订单（订单发货或被查询时平台才会知道）。',
  'receipt.nothingShipped': '没有可确认收货的已发货订单：请先录入发货（shipOrder，或在控制台中）。',
  'receipt.byCustomer': '用户已确认收货',
  'receipt.automatic': '已自动确认收货',
  'receipt.moved': '{line}  — {how}，已推送结算消息',

  // npm run doctor, deploy:scf, deploy:cloud (finding marks, subjects that are variables, error codes stay as they are)
  "doctor.appidMissing": "缺少：与商户号绑定的小程序 AppID（以 wx 开头）",
  "doctor.appidShape": "\"{appid}\" 不像 AppID（wx + 16 位十六进制数字）",
  "doctor.mchidMissing": "缺少：商户号（在 pay.weixin.qq.com 查看）",
  "doctor.mchidShape": "\"{mchid}\" 不是商户号（8–12 位数字）",
  "doctor.serialMissing": "缺少：商户 API 证书序列号（商户平台 → 账户中心 → API安全）",
  "doctor.serialShape": "不是十六进制的证书序列号",
  "doctor.keyMissing": "缺少：apiclient_key.pem（PEM 文本、PEM 的 base64，或文件路径）",
  "doctor.keyType": "是 {type} 密钥；微信支付 APIv3 使用 RSA 签名",
  "doctor.keyBits": "RSA 密钥只有 {bits} 位；微信支付要求 2048 位",
  "doctor.keyOk": "RSA {bits} 位私钥，可以解析",
  "doctor.keyParse": "无法解析为私钥（应为 apiclient_key.pem 的 PEM）",
  "doctor.certNotGiven": "未提供：加 --merchant-cert apiclient_cert.pem 可检查私钥和序列号是否属于同一张证书",
  "doctor.v3Missing": "缺少：在商户平台（账户中心 → API安全）设置的 32 位 APIv3 密钥",
  "doctor.v3Length": "是 {bytes} 字节；必须正好 32 字节（AES-256-GCM 密钥）",
  "doctor.v3Ok": "32 字节",
  "doctor.baseNotUrl": "不是 URL",
  "doctor.baseSimulator": "{base} 是离线模拟器；去掉它才会连接微信支付",
  "doctor.baseUnofficial": "{base} 不是 api.mch.weixin.qq.com（或 api2.）",
  "doctor.libOk": "云函数接受这份配置（{mode} 模式）",
  "doctor.libRefused": "被 lib/config 拒绝：{message}",
  "doctor.identitySession": "session：login 用 wx.login 的 code（WX_APP_SECRET）换取会话令牌（SCF 函数 URL）",
  "doctor.identityContext": "wxcontext：身份来自微信云开发平台上下文",
  "doctor.accepted": "通过",
  "doctor.refundAdminsEmpty": "为空：列出员工 openid 之前，没人能调用 refundOrder",
  "doctor.scfIdentity": "函数 URL 不带微信用户身份：设置 IDENTITY_MODE=session，并配置 SESSION_TOKEN_SECRET 和 WX_APP_SECRET（README“SCF / HTTP identity”），否则每次客户端调用都返回 UNAUTHENTICATED",
  "doctor.tcbEnvMissing": "缺少：设为存放数据集合的云开发环境 ID（普通 SCF 上的 wx-server-sdk 没有别的办法知道）",
  "doctor.certParse": "无法解析为 X.509 证书",
  "doctor.serialMismatch": "与证书不符（证书序列号为 {serial}）",
  "doctor.serialMatches": "序列号与 WXPAY_MERCHANT_SERIAL_NO 一致",
  "doctor.keyNotCert": "不属于这张商户证书：请使用与证书一起签发的 apiclient_key.pem",
  "doctor.keyMatchesCert": "私钥与证书匹配",
  "doctor.certExpired": "已于 {date} 过期：请在商户平台更新证书",
  "doctor.certExpiring": "将于 {date} 过期（还有 {days} 天）",
  "doctor.certNeither": "既不是证书也不是公钥 PEM",
  "doctor.keyNotPub": "与提供的商户公钥不匹配",
  "doctor.keyMatchesPub": "私钥与公钥匹配（提供证书可同时检查序列号）",
  "doctor.notifyMissing": "缺少：接收支付通知的 https URL（payNotify 的 HTTP 访问路径或函数 URL）",
  "doctor.notifyNotUrl": "\"{value}\" 不是 URL",
  "doctor.notifyHttps": "必须是 https（微信支付只通知 https 地址），实际为 {protocol}",
  "doctor.notifyQuery": "不能带查询参数：微信支付拒绝带参数的 notify_url",
  "doctor.notifyFragment": "不能带 #片段",
  "doctor.notifyLength": "有 {length} 个字符；notify_url 最多 255 个",
  "doctor.notifyPrivate": "微信支付的服务器访问不到 {host}",
  "doctor.platformCertsValue": "\"{value}\" 必须是 \"true\"（与公钥一起：迁移模式）或 \"false\"",
  "doctor.modeNothing": "WXPAY_PLATFORM_CERTIFICATES=false 却没有 WXPAY_PUBLIC_KEY_ID/WXPAY_PUBLIC_KEY：没有任何东西能验证微信支付的签名",
  "doctor.modeHalf": "公钥模式需要同时设置 WXPAY_PUBLIC_KEY_ID 和 WXPAY_PUBLIC_KEY；只设置了 {name}",
  "doctor.pubIdShape": "\"{id}\" 不是微信支付公钥 ID（PUB_KEY_ID_…）",
  "doctor.pubParse": "无法解析为公钥（应为从商户平台下载的 pub_key.pem）",
  "doctor.pubIsMerchant": "是你的商户密钥的公钥部分；这里必须是微信支付公钥",
  "doctor.pubOk": "公钥可以解析（{mode} 模式）",
  "doctor.mode.certificate": "平台证书模式：证书从 /v3/certificates 下载（设置 WXPAY_PUBLIC_KEY_ID + WXPAY_PUBLIC_KEY 即为公钥模式；新商户拿到的是微信支付公钥，而不是平台证书）",
  "doctor.mode.publicKey": "公钥模式：每个请求在 Wechatpay-Serial 中带上 WXPAY_PUBLIC_KEY_ID，微信支付用这把公钥对应的私钥签名；不下载平台证书",
  "doctor.mode.migration": "迁移模式（公钥 + 平台证书）：每个请求带上 WXPAY_PUBLIC_KEY_ID，证书仍会下载和更新，用任意一方签名的应答和通知都被接受——切换期间微信支付会用两者签名通知。商户平台显示切换完成后，去掉 WXPAY_PLATFORM_CERTIFICATES（即公钥模式）",
  "doctor.summary": "\n{errors} 个错误，{warnings} 个警告",
  "doctor.fixLive": "请修正上面的错误（npm run deploy:cloud 会修正环境中的那些）。",
  "doctor.fix": "部署前请修正上面的错误。",
  "doctor.liveOk": "云开发环境与配置一致。",
  "doctor.ready": "配置看起来可以部署了。",
  "doctor.failed": "doctor 失败：{detail}",
  "doctor.liveNeedsCloud": "--live 检查的是微信云开发环境：请加上 --cloud",
  "doctor.subject.merchant certificate": "商户证书",
  "doctor.subject.verification mode": "验签模式",
  "doctor.subject.order settings": "订单设置",
  "doctor.subject.refund settings": "退款设置",
  "doctor.subject.bill settings": "对账设置",
  "doctor.subject.shipping settings": "发货设置",
  "doctor.rejectedSummary": "Doctor：{errors} 个错误，{warnings} 个警告",
  "doctor.rejected": "配置有 {count} 个错误（{subjects}）；没有部署任何东西。请修正（`{command}` 会列出每一项检查）后重新运行",
  "deploy.dryRun": "\n--dry-run：没有调用任何接口。",
  "deploy.dryRunCloud": "\n--dry-run：没有做任何改动。",
  "deploy.deploying": "\n正在部署…",
  "deploy.done": "\n完成：{outcomes}",
  "deploy.wroteUrls": "\n函数 URL 已写入 {file}",
  "deploy.failedCode": "\n{command} 失败 [{code}]，位置 {message}",
  "deploy.failed": "\n{command} 失败：{message}",
  "deploy.needCredentials": "设置 TENCENTCLOUD_SECRETID 和 TENCENTCLOUD_SECRETKEY（有权管理 SCF 的 CAM 密钥）",
  "deploy.cloud.wroteRc": "\n已写入 {file}，供 `tcb fn deploy` 使用（配置版本 2.0，不含密钥值）。",
  "deploy.cloud.rcSecrets": "其中的 {{env.…}} 占位符需要在旁边一个被 git 忽略的 .env 文件（或 .env.local）里提供 {names}。",
  "deploy.cloud.bindPath": "绑定通知路径：tcb fn deploy payNotify --path {path}",
  "deploy.cloud.upToDate": "一切已是最新",
  "deploy.cloud.changes": "{count} 项改动",
  "deploy.cloud.done": "\n完成：{what}（{summary}）。",
  "deploy.cloud.notifies": "微信支付通知 {url}（HTTP 路径 {path} → payNotify）。",
  "deploy.cloud.openapi": "云调用权限（config.json 的 permissions.openapi）只能通过微信开发者工具上传推送。",
  "deploy.cloud.stopped": "停在 {subject}。",
  "deploy.cloud.doneSteps": "已完成（{count}）：{steps}",
  "deploy.cloud.nothing": "无",
  "deploy.cloud.notDone": "未完成（{count}）：{steps}",
  "deploy.cloud.rerun": "修正下面的原因后再运行同一条命令：已完成的步骤会显示为 unchanged。",
} as const;
