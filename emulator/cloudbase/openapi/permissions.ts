/**
 * Cloud-call permissions: a function may call an openapi only if its config.json lists the name in
 * `permissions.openapi` (the real service answers -604101 otherwise). Read on each call, so an edit
 * takes effect at once (the real service caches it for about 10 minutes after a DevTools upload).
 */
import fs from 'node:fs';
import path from 'node:path';

export function openapiPermissions(functionsDir: string, functionName: string): string[] {
  const file = path.join(functionsDir, functionName, 'config.json');
  if (!fs.existsSync(file)) return [];
  try {
    const cfg = JSON.parse(fs.readFileSync(file, 'utf8')) as { permissions?: { openapi?: unknown } };
    const list = cfg.permissions?.openapi;
    return Array.isArray(list) ? list.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

export function permissionMessage(functionName: string, apiName: string): string {
  return `function ${functionName} has no permission to call ${apiName}: add "${apiName}" to permissions.openapi in cloudfunctions/${functionName}/config.json`;
}
