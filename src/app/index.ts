/**
 * The Handoff GitHub App (Probot 14): thin handlers over the flows in src/flows/. Stateless: everything
 * it knows lives on GitHub (issues, markers, the queue branch), so any number of replicas can serve.
 *
 * To add a handler (labels, reviews, commands), write it in handlers/ and add one line to HANDLERS,
 * and the event to app.yml.
 */
import type { ApplicationFunction, Context, Probot } from "probot";
import { DeliveryLog } from "./deliveries.js";
import { onIssueComment } from "./handlers/issue-comment.js";
import { onPush } from "./handlers/push.js";

type EventName = Extract<Parameters<Probot["on"]>[0], string>;

/** One webhook event and what handles it. */
interface HandlerEntry<E extends EventName = EventName> {
  event: E;
  handle: (context: Context<E>) => Promise<void>;
}

function entry<E extends EventName>(event: E, handle: (context: Context<E>) => Promise<void>): HandlerEntry {
  return { event, handle } as unknown as HandlerEntry;
}

/** Every event the app handles. app.yml subscribes to exactly these (tests/app/manifest.test.ts checks). */
export const HANDLERS: readonly HandlerEntry[] = [
  entry("push", onPush),
  entry("issue_comment.created", onIssueComment),
];

export interface HandoffAppOptions {
  /** The replica's memory of delivery ids (one per app instance by default). */
  deliveries?: DeliveryLog;
}

/** The app function Probot loads; each call makes an app with its own delivery memory. */
export function createHandoffApp(options: HandoffAppOptions = {}): ApplicationFunction {
  return (app: Probot) => {
    const deliveries = options.deliveries ?? new DeliveryLog();
    for (const { event, handle } of HANDLERS) {
      app.on(event, async (context: Context) => {
        // The same delivery id twice (a redelivery) has no second effect in this replica.
        if (!deliveries.claim(`${context.id}:${event}`)) {
          context.log.info(`delivery ${context.id} (${event}) already handled; skipped`);
          return;
        }
        try {
          await handle(context as never);
        } catch (error) {
          deliveries.release(`${context.id}:${event}`);
          throw error;
        }
      });
    }
  };
}

export default createHandoffApp();
