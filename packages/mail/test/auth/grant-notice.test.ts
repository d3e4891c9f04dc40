// The refused-grant notice: a grant revoked at the test authorization server gives an EGRANT
// that refusedGrantOf finds (through a wrapping error's cause) and a missing grant does not;
// the notice goes to a loopback webhook once per day per mailbox, again the next day and for
// another mailbox, and a notice no channel took is not recorded (the next run tries again).
import { join } from 'node:path';
import { createLogger } from '@jobs/core/logger';
import { startOAuthServer } from '@jobs/testkit/oauth-server';
import { startWebhookReceiver } from '@jobs/testkit/webhook';
import { describe, expect, it } from 'vitest';
import { createAlertChannel } from '../../src/alert.ts';
import { readAlertState } from '../../src/alert-state.ts';
import { grantNoticePath, noticeRefusedGrant, refusedGrantOf } from '../../src/auth/grant-notice.ts';
import { createGrantStore } from '../../src/auth/grant-store.ts';
import { createGrantTokenSource } from '../../src/auth/grant-token-source.ts';
import { storeSeededGrant, tempStateDir } from '../grant-helpers.ts';

const logger = createLogger({ level: 'silent' });
const DAY = 86_400_000;

describe('refusedGrantOf', () => {
  it('finds the token endpoint\'s refusal through causes, and not a grant that is only missing', async () => {
    await using as = await startOAuthServer();
    await using state = await tempStateDir();
    const { store } = await storeSeededGrant(as, state.dir, 'lead', { expiresAt: 0 });
    await as.revokeAll();
    const refused = await createGrantTokenSource({ store, account: 'lead', client: { clientSecret: as.client.secret } })
      .accessToken()
      .catch((e: unknown) => e);
    expect(refusedGrantOf(refused)?.originalCode).toBe('invalid_grant');
    expect(refusedGrantOf(new Error('the run stopped', { cause: refused }))).toBe(refused);
    const missing = await createGrantStore({ stateDir: state.dir }).require('digest').catch((e: unknown) => e);
    expect((missing as { code?: string }).code).toBe('EGRANT');
    expect(refusedGrantOf(missing)).toBeUndefined();
  });
});

describe('noticeRefusedGrant', () => {
  it('tells the owner once a day per mailbox, and records only a delivered notice', async () => {
    await using hook = await startWebhookReceiver();
    await using state = await tempStateDir();
    const channel = createAlertChannel({ webhookUrl: `${hook.url}/hook`, logger });
    const t0 = Date.parse('2026-12-05T10:00:00Z');
    const notice = (account: string, at: number, ch = channel) =>
      noticeRefusedGrant({ account, jobLabel: 'The digest', channel: ch, stateDir: state.dir, timeZone: 'UTC', now: new Date(at), domain: 'example.test', logger });

    // a channel that takes nothing: not recorded, so the next run tells
    const dead = createAlertChannel({ webhookUrl: 'http://127.0.0.1:1/hook', logger });
    expect(await notice('digest', t0, dead)).toBe('not-delivered');
    expect(await readAlertState(grantNoticePath(state.dir, 'digest'))).toEqual({ failing: false });
    expect(await notice('digest', t0, createAlertChannel({ logger }))).toBe('no-channel');

    expect(await notice('digest', t0)).toBe('sent');
    expect(await notice('digest', t0 + 3_600_000)).toBe('already-told-today');
    expect(await notice('lead', t0 + 3_600_000)).toBe('sent');
    expect(await notice('digest', t0 + DAY)).toBe('sent');
    expect(hook.posts.map((p) => (JSON.parse(p.body) as { account: string }).account)).toEqual(['digest', 'lead', 'digest']);
    expect(JSON.parse(hook.posts[0]!.body)).toMatchObject({ event: 'grant-refused', login: 'pnpm mailbox login digest' });
    expect(join(state.dir, 'alerts', 'grant-lead.json')).toBe(grantNoticePath(state.dir, 'lead'));
  });
});
