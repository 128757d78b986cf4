/**
 * Product pictures live in cloud storage; `products.image` holds the file ID. The shop shows them
 * through temporary links made here (getTempFileURL), which is how WeChat's docs advise serving
 * files that are not public-read ("权限读情况下，后端直接返回对应的 http"): one link works in every
 * transport (wx.cloud, SCF over HTTPS, the local stack), where a bare `cloud://` src works only
 * with wx.cloud. Links are kept per instance while at least half their life is left, so a warm
 * listProducts makes no storage call. A picture is decoration: when storage fails, the catalogue
 * is still answered, without those pictures.
 */
import type { Product } from '../contract';
import type { Logger } from '../log';

/** How long a link we hand out lives (real maximum: one day). */
export const PRODUCT_IMAGE_LINK_SECONDS = 3600;
/** getTempFileURL takes at most 50 files per call. */
const FILES_PER_CALL = 50;

/** The part of wx-server-sdk's `cloud` this needs. */
export interface TempUrlSource {
  getTempFileURL(params: { fileList: Array<{ fileID: string; maxAge: number }> }): Promise<{
    fileList: Array<{ fileID: string; tempFileURL: string; status: number; errMsg?: string; maxAge?: number }>;
  }>;
}

export interface ImageLinks {
  /** Each product with `imageUrl` set where a link could be made. */
  attach(products: Product[]): Promise<Product[]>;
}

export function productImageLinks(source: TempUrlSource, log: Logger, now: () => number = Date.now): ImageLinks {
  const cache = new Map<string, { url: string; freshUntil: number; expiresAt: number }>();

  async function fetchLinks(fileIds: string[]): Promise<{ failed: number; error?: string }> {
    let failed = 0;
    let error: string | undefined;
    const calls: Promise<void>[] = [];
    for (let i = 0; i < fileIds.length; i += FILES_PER_CALL) {
      const fileList = fileIds.slice(i, i + FILES_PER_CALL).map((fileID) => ({ fileID, maxAge: PRODUCT_IMAGE_LINK_SECONDS }));
      const asked = now();
      calls.push(source.getTempFileURL({ fileList }).then(
        (res) => {
          for (const f of res.fileList ?? []) {
            if (f.status !== 0 || !f.tempFileURL) {
              failed += 1;
              error ??= f.errMsg;
              continue;
            }
            const life = (f.maxAge ?? PRODUCT_IMAGE_LINK_SECONDS) * 1000;
            cache.set(f.fileID, { url: f.tempFileURL, freshUntil: asked + life / 2, expiresAt: asked + life });
          }
        },
        (err: unknown) => {
          failed += fileList.length;
          error ??= err instanceof Error ? err.message : String(err);
        },
      ));
    }
    await Promise.all(calls);
    return { failed, error };
  }

  return {
    async attach(products) {
      const t = now();
      const wanted = [...new Set(products.map((p) => p.image).filter((id): id is string => typeof id === 'string' && id !== ''))];
      const stale = wanted.filter((id) => !((cache.get(id)?.freshUntil ?? 0) > t));
      if (stale.length > 0) {
        const { failed, error } = await fetchLinks(stale);
        if (failed > 0) log('shop.images_unavailable', { files: failed, of: wanted.length, error: error?.slice(0, 200) });
      }
      return products.map((p) => {
        const link = p.image ? cache.get(p.image) : undefined;
        // A link past its half-life whose refresh failed is still valid for the other half: better than none.
        return link && link.expiresAt > t ? { ...p, imageUrl: link.url } : p;
      });
    },
  };
}
