/**
 * The storage adapter of the test authorization server: oidc-provider's adapter interface over
 * one Map per server (the package's own memory adapter is a module-wide singleton, so two
 * servers in one test process would share tokens). It also lets a test expire access tokens
 * at once, instead of waiting on the wall clock for a short TTL to run out.
 */

type Payload = Record<string, unknown> & { grantId?: string; userCode?: string; uid?: string; exp?: number };

/** One Map shared by every model's adapter instance of one server. */
export class OAuthStore {
  readonly rows = new Map<string, Payload>();

  /** Marks every stored access token of `user` (all users when omitted) as expired a second ago. */
  expireAccessTokens(user?: string): number {
    let count = 0;
    const past = Math.floor(Date.now() / 1000) - 1;
    for (const [key, payload] of this.rows) {
      if (!key.startsWith('AccessToken:')) continue;
      if (user !== undefined && payload.accountId !== user) continue;
      payload.exp = past;
      count++;
    }
    return count;
  }

  /** Payloads of one model (e.g. `RefreshToken`), for assertions. */
  list(model: string): Payload[] {
    return [...this.rows].filter(([key]) => key.startsWith(`${model}:`)).map(([, value]) => value);
  }

  /** An oidc-provider adapter class bound to this store. */
  adapterClass(): new (model: string) => object {
    const rows = this.rows;
    return class StoreAdapter {
      private readonly model: string;
      constructor(model: string) {
        this.model = model;
      }
      key(id: string): string {
        return `${this.model}:${id}`;
      }
      async upsert(id: string, payload: Payload): Promise<void> {
        rows.set(this.key(id), { ...payload });
        if (payload.userCode !== undefined) rows.set(`userCode:${payload.userCode}`, { id });
        if (payload.uid !== undefined) rows.set(`uid:${payload.uid}`, { id });
      }
      async find(id: string): Promise<Payload | undefined> {
        const row = rows.get(this.key(id));
        return row === undefined ? undefined : { ...row };
      }
      async findByUserCode(userCode: string): Promise<Payload | undefined> {
        const ref = rows.get(`userCode:${userCode}`);
        return typeof ref?.id === 'string' ? this.find(ref.id) : undefined;
      }
      async findByUid(uid: string): Promise<Payload | undefined> {
        const ref = rows.get(`uid:${uid}`);
        return typeof ref?.id === 'string' ? this.find(ref.id) : undefined;
      }
      async consume(id: string): Promise<void> {
        const row = rows.get(this.key(id));
        if (row !== undefined) row.consumed = Math.floor(Date.now() / 1000);
      }
      async destroy(id: string): Promise<void> {
        rows.delete(this.key(id));
      }
      async revokeByGrantId(grantId: string): Promise<void> {
        for (const [key, payload] of rows) if (payload.grantId === grantId) rows.delete(key);
      }
    };
  }
}
