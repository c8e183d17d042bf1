import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/web/server.js';
import { checkServeOptions } from '../../src/web/server.js';
import { escapeHtml, html, safeHref } from '../../src/web/html.js';
import { highlightKql } from '../../src/web/kql-highlight.js';
import { cli } from '../cli-run.js';
import { demoStore, FIXTURE_SOURCE, getJson, getText, HOSTILE_ID, postJson, serve } from './helpers.js';

const TOKEN = 'test-token-0123456789abcdef';
let db: string;
let open: RunningServer;
let guarded: RunningServer;

beforeAll(async () => {
  db = await demoStore(3);
  open = await serve(db);
});
afterAll(async () => {
  await open?.close();
  await guarded?.close();
});

/** A raw request, so the Host header can be anything (fetch would not let a test set it). */
function rawGet(port: number, path: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { Host: host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('escaping', () => {
  it('escapes every interpolated value and keeps only http(s) links', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&\``)).toBe(
      '&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&#96;',
    );
    expect(html`<p title="${'" onmouseover="x'}">${'<script>'}</p>`.text).toBe(
      '<p title="&quot; onmouseover=&quot;x">&lt;script&gt;</p>',
    );
    expect(safeHref('javascript:alert(1)')).toBeUndefined();
    expect(safeHref('data:text/html,<script>')).toBeUndefined();
    expect(safeHref('/api/query')).toBeUndefined();
    expect(safeHref('https://example.com/a"b')).toBe('https://example.com/a%22b');
  });

  it('highlights KQL without letting its text become markup', () => {
    const out = highlightKql(
      `print x = "<script>alert(1)</script>" // </code><img src=x onerror=alert(1)>`,
    ).text;
    expect(out).not.toMatch(/<script|<img|<\/code>/);
    expect(out).toContain('<span class="k-string">&quot;&lt;script&gt;alert(1)&lt;/script&gt;&quot;</span>');
    expect(out).toContain(
      '<span class="k-comment">// &lt;/code&gt;&lt;img src=x onerror=alert(1)&gt;</span>',
    );
  });

  it('serves the hostile rule on every page with none of its markup live', async () => {
    const pages = [
      `/rules/${HOSTILE_ID}?source=${FIXTURE_SOURCE}`,
      `/?source=${FIXTURE_SOURCE}`,
      `/console?rule=${HOSTILE_ID}&source=${FIXTURE_SOURCE}`,
      '/coverage',
      `/rules/%3Cscript%3Ealert(1)%3C%2Fscript%3E`,
      `/?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E`,
    ];
    for (const path of pages) {
      const { text } = await getText(open.url, path);
      // The only script tag on a page is the bundle; no event handler attribute is ever written.
      expect(text.match(/<script\b[^>]*>/g), path).toEqual([
        expect.stringMatching(/^<script type="module" src="\/assets\/(app|console)\.js">$/),
      ]);
      // Rule text has its `<` escaped, so every real tag is ours: none may carry a handler or a script URL.
      // Quoted attribute values are blanked first: inside them `"` is escaped, so they cannot end early.
      const tags = (text.match(/<[a-z][^>]*>/gi) ?? []).map((t) => t.replace(/"[^"]*"/g, '""'));
      expect(
        tags.filter((t) => /\son\w+\s*=/i.test(t)),
        path,
      ).toEqual([]);
      expect(
        tags.filter((t) => /^<(img|svg|iframe|object|embed)\b/i.test(t)),
        path,
      ).toEqual([]);
      expect(text, path).not.toMatch(/href="\s*javascript:/i);
    }
    const rule = (await getText(open.url, `/rules/${HOSTILE_ID}?source=${FIXTURE_SOURCE}`)).text;
    expect(rule).toContain('&lt;script&gt;window.__xss=&#39;name&#39;&lt;/script&gt;');
  });

  it('keeps rule text as plain text in the Atom feed', async () => {
    const { text } = await getText(open.url, '/feed.atom');
    expect(text).not.toContain('<script>');
    expect(text).toContain('&lt;script&gt;window.__xss=');
  });
});

describe('headers and request checks', () => {
  it('sends a strict Content-Security-Policy and related headers', async () => {
    const { headers } = await getText(open.url, '/');
    const csp = headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*(unsafe-inline|unsafe-eval|http)/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('answers only requests addressed to loopback when it has no token (DNS rebinding)', async () => {
    expect(await rawGet(open.port, '/api/health', `127.0.0.1:${open.port}`)).toBe(200);
    expect(await rawGet(open.port, '/api/health', `localhost:${open.port}`)).toBe(200);
    expect(await rawGet(open.port, '/api/health', `evil.example:${open.port}`)).toBe(403);
    expect(await rawGet(open.port, '/api/health', 'localhost:1')).toBe(403);
  });

  it('takes POSTs only as JSON from its own origin', async () => {
    const form = await fetch(new URL('/api/query', open.url), {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain' },
      body: JSON.stringify({ kql: 'print 1' }),
    });
    expect(form.status).toBe(403);
    const cross = await postJson<{ error: { code: string } }>(
      open.url,
      '/api/query',
      { kql: 'print 1' },
      { Origin: 'https://evil.example' },
    );
    expect(cross.status).toBe(403);
    expect(cross.body.error.code).toBe('SF-WEB-POST');
    const same = await postJson(
      open.url,
      '/api/query',
      { kql: 'print 1' },
      { Origin: open.url.replace(/\/$/, '') },
    );
    expect(same.status).toBe(200);
  });

  it('serves only built client files, never a path outside them', async () => {
    expect((await getText(open.url, '/assets/app.js')).status).toBe(200);
    expect((await getText(open.url, '/assets/..%2f..%2fpackage.json')).status).toBe(404);
    expect((await getText(open.url, '/assets/%2e%2e/%2e%2e/src/web/server.ts')).status).toBe(404);
  });
});

describe('token', () => {
  it('refuses to listen beyond loopback without a token, and refuses short tokens', async () => {
    expect(() => checkServeOptions({ host: '0.0.0.0' })).toThrow(/a token is required/);
    expect(() => checkServeOptions({ host: '127.0.0.1', token: 'short' })).toThrow(/at least 16 characters/);
    expect(() => checkServeOptions({ host: '0.0.0.0', token: TOKEN })).not.toThrow();
    const r = await cli('serve', '--host', '0.0.0.0', '--db', db);
    expect(r.code).toBe(2);
    expect(r.err).toContain('error[SF-WEB-TOKEN]');
    expect(r.err).toContain('--token');
  });

  it('reports bad serve options as clear CLI errors', async () => {
    const port = await cli('serve', '--port', '80808', '--db', db);
    expect(port.code).toBe(2);
    expect(port.err).toContain("error[SF-CLI-PORT]: --port must be a number from 0 to 65535 (got '80808')");
    const missing = await cli('serve', '--db', `${db}.missing`);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('error[SF-STORE-MISSING]');
    const help = await cli('serve', '--help');
    expect(help.out).toContain(
      'usage: socfeed serve [--db PATH] [--host 127.0.0.1] [--port 8080] [--token TOKEN]',
    );
  });

  it('checks the token on every page and API call, and signs a browser in with a cookie', async () => {
    await open.close();
    guarded = await serve(db, { token: TOKEN });
    const base = guarded.url;
    expect((await getJson(base, '/api/rules')).status).toBe(401);
    expect((await getText(base, '/')).status).toBe(401);
    expect(
      (await getJson(base, '/api/rules', { Authorization: 'Bearer wrong-token-0123456789' })).status,
    ).toBe(401);
    expect((await getJson(base, '/api/rules', { Authorization: `Bearer ${TOKEN}` })).status).toBe(200);
    expect((await postJson(base, '/api/query', { kql: 'print 1' })).status).toBe(401);
    expect(
      (await postJson(base, '/api/query', { kql: 'print 1' }, { Authorization: `Bearer ${TOKEN}` })).status,
    ).toBe(200);
    // The client bundle itself is public: it holds no data.
    expect((await getText(base, '/assets/app.js')).status).toBe(200);

    const signIn = await getText(base, `/coverage?token=${TOKEN}`);
    expect(signIn.status).toBe(303);
    expect(signIn.headers.get('location')).toBe('/coverage');
    const cookie = signIn.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const withCookie = await getText(base, '/coverage', { Cookie: cookie.split(';')[0]! });
    expect(withCookie.status).toBe(200);
    expect((await getText(base, '/?token=wrong')).status).toBe(401);
  });
});
