/**
 * A tiny user agent for the test authorization server: keeps cookies, follows redirects by
 * hand, and submits the first HTML form of a page with its hidden fields (oidc-provider's
 * device-code pages are plain forms with an xsrf field). It plays the person who approves.
 */

/** One step the browser took, for assertions and failure messages. */
export interface BrowserStep {
  method: 'GET' | 'POST';
  url: string;
  status: number;
}

/** Fields of the first `<form>` of a page: its action and its named inputs. */
export function firstForm(html: string, base: string): { action: string; fields: Record<string, string> } | undefined {
  const form = /<form[^>]*action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/i.exec(html);
  if (form === null) return undefined;
  const fields: Record<string, string> = {};
  for (const input of form[2]!.matchAll(/<(?:input|button)\b([^>]*)>/gi)) {
    const attrs = input[1]!;
    const name = /\bname="([^"]*)"/.exec(attrs)?.[1];
    if (name === undefined) continue;
    fields[name] = /\bvalue="([^"]*)"/.exec(attrs)?.[1] ?? '';
  }
  return { action: new URL(form[1]!.replace(/&amp;/g, '&'), base).href, fields };
}

/** A cookie-keeping browser for one approval. */
export class OAuthBrowser {
  readonly steps: BrowserStep[] = [];
  private readonly cookies = new Map<string, string>();

  /** GET (or POST a form) and follow redirects; returns the last response's URL, status and body. */
  async open(
    url: string,
    form?: Record<string, string>,
    hops = 20,
    stopAt?: string,
  ): Promise<{ url: string; status: number; body: string }> {
    let current = url;
    let body: URLSearchParams | undefined = form === undefined ? undefined : new URLSearchParams(form);
    for (let i = 0; i < hops; i++) {
      if (stopAt !== undefined && current.startsWith(stopAt)) return { url: current, status: 0, body: '' };
      const headers: Record<string, string> = {};
      const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
      if (cookie !== '') headers.cookie = cookie;
      if (body !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
      const method = body === undefined ? 'GET' : 'POST';
      const res = await fetch(current, { method, headers, redirect: 'manual', ...(body === undefined ? {} : { body }) });
      this.steps.push({ method, url: current, status: res.status });
      for (const line of res.headers.getSetCookie()) {
        const [pair] = line.split(';');
        const at = pair!.indexOf('=');
        if (at > 0) this.cookies.set(pair!.slice(0, at).trim(), pair!.slice(at + 1).trim());
      }
      const location = res.headers.get('location');
      if (res.status >= 300 && res.status < 400 && location !== null) {
        await res.arrayBuffer();
        current = new URL(location, current).href;
        body = undefined;
        continue;
      }
      return { url: current, status: res.status, body: await res.text() };
    }
    throw new Error(`oauth browser: more than ${hops} redirects from ${url}`);
  }

  /** Submits the first form of `page` with its fields, overridden by `extra`. */
  async submit(page: { url: string; body: string }, extra: Record<string, string> = {}) {
    const form = firstForm(page.body, page.url);
    if (form === undefined) throw new Error(`oauth browser: no form on ${page.url}: ${page.body.slice(0, 200)}`);
    return this.open(form.action, { ...form.fields, ...extra });
  }
}
