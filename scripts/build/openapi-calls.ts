/**
 * The cloud calls (云调用) a built function makes, read from its bundle: wx-server-sdk's
 * `cloud.openapi` is a proxy whose property path is the API name, so every call appears in the
 * bundle as a property chain `.openapi.<a>.<b>…(` (minifying renames variables, never properties),
 * also after an options call: `.openapi({convertCase:!1}).<a>.<b>…(`.
 * Each function's config.json `permissions.openapi` must list exactly these names: the platform
 * refuses an unlisted call with -604101, and only a DevTools upload pushes the list.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const CALL = /\.openapi(?:\(\{[^(){}]*\}\))?((?:\.[A-Za-z_$][\w$]*)+)\s*\(/g;

export function openapiCallsIn(bundle: string): string[] {
  const names = new Set<string>();
  for (const m of bundle.matchAll(CALL)) names.add(m[1].slice(1));
  return [...names].sort();
}

export function declaredOpenapi(functionsDir: string, name: string): string[] {
  const config = JSON.parse(readFileSync(join(functionsDir, name, 'config.json'), 'utf8')) as { permissions?: { openapi?: unknown } };
  const list = config.permissions?.openapi ?? [];
  if (!Array.isArray(list) || list.some((x) => typeof x !== 'string')) throw new Error(`${name}/config.json: permissions.openapi must be an array of API names`);
  return [...(list as string[])].sort();
}
