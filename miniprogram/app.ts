// App entry: connect to the cloud environment chosen at build time and register the user.
import { config } from './config';
import { api } from './services/api';
import { onAppShow } from './services/receipt';

App({
  onLaunch() {
    // A local build and an http-transport build (SCF function URLs) use wx.request, never wx.cloud.
    // Without an env id the SDK uses the project's default environment.
    if (!__MP_LOCAL__ && !__MP_HTTP__) wx.cloud.init(config.cloudEnv ? { env: config.cloudEnv, traceUser: true } : { traceUser: true });
    // Registers the user (openid comes from the server's context, never from here).
    // Nothing waits on it: every function identifies the caller by itself.
    api.login().catch(() => undefined);
  },
  onShow(options) {
    // Back from the confirm-receipt component: only a trigger for a server check, never proof.
    onAppShow(options as { referrerInfo?: { appId?: string } });
  },
});
