/**
 * Notification payloads as the merchant would read them: the simulator logs the exact encrypted
 * body it sends, and the console opens the resource with the dev APIv3 key here, on the server.
 * The key never reaches the browser; only the decrypted dev data does.
 */
import { decryptResource } from '../../lib/wechatpay';
import type { Delivery } from '../wechat';

export interface ConsoleDelivery extends Omit<Delivery, 'body'> {
  summary?: string;
  /** The decrypted, parsed `resource` (a transaction or refund object). */
  payload?: unknown;
  /** Why the payload could not be opened (never the key). */
  payloadError?: string;
}

export function openDelivery(d: Delivery, apiV3Key: string): ConsoleDelivery {
  const { body, ...rest } = d;
  try {
    const envelope = JSON.parse(body) as { summary?: string; resource: { ciphertext: string; nonce: string; associated_data?: string } };
    const payload = JSON.parse(decryptResource(envelope.resource, apiV3Key)) as unknown;
    return { ...rest, summary: envelope.summary, payload };
  } catch (err) {
    return { ...rest, payloadError: `cannot decrypt with the dev APIv3 key: ${(err as Error).message}` };
  }
}
