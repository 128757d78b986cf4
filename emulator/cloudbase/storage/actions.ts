/**
 * The `storage.*` actions of the TCB admin wire, as @cloudbase/node-sdk sends them:
 * - uploadFile = `storage.getUploadMetadata {path}` → `{url, token, authorization, fileId, cosFileId}`,
 *   then a PUT of the bytes to `url` (see http.ts);
 * - getTempFileURL / downloadFile = `storage.batchGetDownloadUrl {file_list: [{fileid, max_age?}]}`
 *   → `download_list: [{fileID, tempFileURL, code: 'SUCCESS' | error code, maxAge}]`;
 * - deleteFile = `storage.batchDeleteFile {fileid_list}` → `delete_list: [{fileID, code}]`.
 * Per-file failures are codes in the list (wx-server-sdk turns them into `status`/`errMsg`);
 * a malformed call is one INVALID_PARAM.
 */
import { invalidParam } from '../errors';
import { LIMITS } from '../limits';
import { badCloudPath, type FileStore } from './files';

type Body = Record<string, unknown>;
type Answer = Record<string, unknown>;

export interface StorageContext {
  files: FileStore;
  /** `http://127.0.0.1:<port>`, known once the server listens. */
  baseUrl: () => string;
  now: () => number;
  /** LIMITS.storageFile unless a test lowers it (nobody uploads 5 GB in a unit test). */
  maxFileBytes: number;
}

/** Upload and download links of the emulator: `/storage/<bucket>/<path>` on its own port. */
export function objectUrl(ctx: StorageContext, cloudPath: string): string {
  return `${ctx.baseUrl()}/storage/${ctx.files.bucket}/${cloudPath}`;
}

const UPLOAD_LINK_SECONDS = 600;

function getUploadMetadata(ctx: StorageContext, b: Body): Answer {
  const why = badCloudPath(b.path);
  if (why) throw invalidParam(`${why} (got ${JSON.stringify(b.path)})`);
  const cloudPath = b.path as string;
  const expires = Math.floor(ctx.now() / 1000) + UPLOAD_LINK_SECONDS;
  const authorization = `q-sign-time=${expires}&sign=${ctx.files.sign('PUT', cloudPath, expires)}`;
  const fileId = ctx.files.fileId(cloudPath);
  return { data: { url: objectUrl(ctx, cloudPath), token: 'emulator', authorization, fileId, cosFileId: fileId } };
}

function listParam(b: Body, key: string): unknown[] {
  const list = b[key];
  if (!Array.isArray(list) || list.length === 0) throw invalidParam(`${key} must be a non-empty array`);
  if (list.length > LIMITS.tempUrlFiles.value) throw invalidParam(`at most ${LIMITS.tempUrlFiles.value} files per call (got ${list.length}); split the list`);
  return list;
}

function batchGetDownloadUrl(ctx: StorageContext, b: Body): Answer {
  const nowSec = Math.floor(ctx.now() / 1000);
  const download_list = listParam(b, 'file_list').map((item) => {
    const { fileid, max_age } = (item ?? {}) as { fileid?: unknown; max_age?: unknown };
    const where = ctx.files.pathOf(fileid);
    if ('error' in where) return { fileID: fileid, tempFileURL: '', code: where.error, message: where.message };
    if (!ctx.files.stat(where.path)) return { fileID: fileid, tempFileURL: '', code: 'STORAGE_FILE_NONEXIST', message: `no file at ${where.path}` };
    const asked = typeof max_age === 'number' && max_age > 0 ? Math.floor(max_age) : LIMITS.tempUrlDefaultAge.value;
    const maxAge = Math.min(asked, LIMITS.tempUrlMaxAge.value);
    const t = nowSec + maxAge;
    return { fileID: fileid, tempFileURL: `${objectUrl(ctx, where.path)}?sign=${ctx.files.sign('GET', where.path, t)}&t=${t}`, code: 'SUCCESS', maxAge };
  });
  return { data: { download_list } };
}

function batchDeleteFile(ctx: StorageContext, b: Body): Answer {
  const delete_list = listParam(b, 'fileid_list').map((fileID) => {
    const where = ctx.files.pathOf(fileID);
    if ('error' in where) return { fileID, code: where.error, message: where.message };
    return { fileID, code: ctx.files.remove(where.path) ? 'SUCCESS' : 'STORAGE_FILE_NONEXIST' };
  });
  return { data: { delete_list } };
}

export const STORAGE_ACTIONS: Record<string, (ctx: StorageContext, b: Body) => Answer> = {
  'storage.getUploadMetadata': getUploadMetadata,
  'storage.batchGetDownloadUrl': batchGetDownloadUrl,
  'storage.batchDeleteFile': batchDeleteFile,
};
