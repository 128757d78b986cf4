// Promise wrappers over the callback-style wx APIs we use, so the rest of the code can await.
// Written with success/fail callbacks (not the Promise form) because that works on every base library.

export function showToast(title: string, icon: 'none' | 'success' | 'error' = 'none'): void {
  wx.showToast({ title, icon, duration: 2500 });
}

/** The page's title in the build's language (the .json titles are the zh-CN default). */
export function setTitle(title: string): void {
  wx.setNavigationBarTitle({ title });
}

export function showLoading(title: string): void {
  wx.showLoading({ title, mask: true });
}

export function hideLoading(): void {
  wx.hideLoading({});
}

export function confirm(title: string, content: string, confirmText: string): Promise<boolean> {
  return new Promise((resolve) => {
    wx.showModal({
      title,
      content,
      confirmText,
      success: (res) => resolve(Boolean(res.confirm)),
      fail: () => resolve(false),
    });
  });
}

export function navigateTo(url: string): void {
  wx.navigateTo({ url });
}

export function redirectTo(url: string): void {
  wx.redirectTo({ url });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Builds "path?a=1&b=2" with encoded values. */
export function pageUrl(path: string, query: Record<string, string>): string {
  const parts = Object.keys(query).map((k) => `${k}=${encodeURIComponent(query[k])}`);
  return parts.length ? `${path}?${parts.join('&')}` : path;
}
