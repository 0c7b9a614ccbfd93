import { createHmac, randomUUID } from "node:crypto";

export interface WebhookDelivery {
  /** The delivery id (x-github-delivery); resend the same delivery to simulate GitHub's redelivery. */
  id: string;
  /** The event name without the action ("pull_request"). */
  event: string;
  headers: Record<string, string>;
  body: string;
}

/**
 * A webhook delivery as GitHub sends it: the JSON body and its headers, signed with the
 * webhook secret (x-hub-signature-256, HMAC-SHA256 of the exact body; x-hub-signature, SHA-1).
 * `event` may carry the action ("pull_request.opened"): the header holds the event name only.
 */
export function signedDelivery(secret: string, event: string, payload: unknown, options: { id?: string; appId?: number } = {}): WebhookDelivery {
  const body = JSON.stringify(payload);
  const id = options.id ?? randomUUID();
  const name = event.split(".")[0] ?? event;
  return {
    id,
    event: name,
    body,
    headers: {
      "content-type": "application/json",
      "user-agent": "GitHub-Hookshot/stand-in",
      "x-github-event": name,
      "x-github-delivery": id,
      "x-github-hook-id": "1",
      "x-github-hook-installation-target-type": "integration",
      "x-github-hook-installation-target-id": String(options.appId ?? 1),
      "x-hub-signature": `sha1=${createHmac("sha1", secret).update(body).digest("hex")}`,
      "x-hub-signature-256": `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`,
    },
  };
}

/** POSTs a delivery to the app's webhook URL (bounded by `timeoutMs`) and returns the app's answer. */
export async function deliverWebhook(url: string, delivery: WebhookDelivery, options: { timeoutMs?: number } = {}): Promise<{ status: number; body: string }> {
  const response = await fetch(url, { method: "POST", headers: delivery.headers, body: delivery.body, signal: AbortSignal.timeout(options.timeoutMs ?? 10_000) });
  return { status: response.status, body: await response.text() };
}
