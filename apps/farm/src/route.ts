/**
 * Which path a task takes, and why (the reason goes into the ledger).
 *
 * Policy `auto`: atomic tasks go to the API (one cheap call, no session to keep), the rest to
 * the owner's subscription. Scheduled jobs act for the business, not for the owner at the
 * keyboard: Anthropic's terms say plan limits assume ordinary individual use and products
 * acting for others must use API keys, so jobs go to the API unless the subscription is asked
 * for explicitly AND acknowledged (`allowSubscription`).
 */
import { FarmError } from './errors.ts';
import type { PathPolicy, RoutePath, Task } from './task.ts';

/** A routing decision. */
export interface Route {
  path: RoutePath;
  reason: string;
  /** The subscription may fall back to the API (policy auto). */
  mayFallBack: boolean;
}

/** The notice printed when a scheduled job is sent to the subscription. */
export const TERMS_NOTICE =
  'Sending a scheduled job to the subscription may breach Anthropic\'s terms: plan limits assume ordinary, individual use, ' +
  'and products or automations acting for others (a business\'s customers, leads, mail) must use API keys. ' +
  'Use the subscription only for your own work; jobs default to the API path.';

/** Options of chooseRoute. */
export interface RouteOptions {
  policy: PathPolicy;
  /** The task is a scheduled/background job rather than the owner's own request. */
  job?: boolean;
  /** The explicit opt-in that lets a job use the subscription. */
  allowSubscription?: boolean;
  /** A remote worker is configured. */
  remoteConfigured?: boolean;
}

/** Decides the path. Throws EUSAGE for a job on the subscription without the opt-in. */
export function chooseRoute(task: Pick<Task, 'atomic'>, o: RouteOptions): Route {
  if (o.policy === 'remote' && o.remoteConfigured === false) {
    throw new FarmError('ECONFIG', '--path remote needs FARM_SSH_HOST (and FARM_SSH_COMMAND) in repos.env', { option: 'FARM_SSH_HOST' });
  }
  if (o.job) {
    if (o.policy === 'subscription') {
      if (!o.allowSubscription) {
        throw new FarmError('EUSAGE', `a job goes to the subscription only with --allow-subscription. ${TERMS_NOTICE}`, { option: 'path' });
      }
      return { path: 'subscription', reason: 'job on the subscription by explicit opt-in (--allow-subscription)', mayFallBack: false };
    }
    if (o.policy === 'remote') return { path: 'remote', reason: 'job requested on the remote worker (--path remote)', mayFallBack: false };
    return { path: 'api', reason: o.policy === 'api' ? 'job requested on the API (--path api)' : 'scheduled job: API path by default (terms: automation acting for others uses API keys)', mayFallBack: false };
  }
  switch (o.policy) {
    case 'subscription':
      return { path: 'subscription', reason: 'requested with --path subscription', mayFallBack: false };
    case 'api':
      return { path: 'api', reason: 'requested with --path api', mayFallBack: false };
    case 'remote':
      return { path: 'remote', reason: 'requested with --path remote', mayFallBack: false };
    default:
      return task.atomic
        ? { path: 'api', reason: 'auto: atomic task, one API call', mayFallBack: false }
        : { path: 'subscription', reason: "auto: agent task on the owner's subscription", mayFallBack: true };
  }
}
