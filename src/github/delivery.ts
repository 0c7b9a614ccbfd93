import type { EmitterWebhookEvent, EmitterWebhookEventName } from "@octokit/webhooks";
import type { Logger } from "probot";

/** What a handler reads of a delivery besides the event itself. */
export interface DeliveryTools {
  log: Logger;
  /** The delivery's repository, as `{ owner, repo }` for requests; throws for an event without one. */
  repo(): { owner: string; repo: string };
  /** This app's id, from its own credentials (computed locally, no request). */
  appId(): Promise<number | undefined>;
}

/**
 * A verified delivery as meshgate's handlers see it: the event (id, name, typed payload) and its
 * tools. Unlike Probot's Context, it carries no installation client: a handler only turns the
 * event into jobs, and the job makes its own client when it runs, so answering a delivery never
 * waits for an installation token or builds an Octokit (DESIGN §7: the request path only enqueues).
 */
export type Delivery<E extends EmitterWebhookEventName> = EmitterWebhookEvent<E> & DeliveryTools;

/** The `{ owner, repo }` of an event's repository. */
export function repositoryOf(event: EmitterWebhookEvent): { owner: string; repo: string } {
  const repository = "repository" in event.payload ? event.payload.repository : undefined;
  const owner = repository?.owner?.login;
  if (repository == null || owner === undefined) throw new Error(`a ${event.name} delivery without a repository`);
  return { owner, repo: repository.name };
}
