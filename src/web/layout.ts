import { html, type Html } from './html.js';

export type NavKey = 'feed' | 'coverage' | 'hunts' | 'console' | 'rule';

const NAV: { key: NavKey; href: string; label: string }[] = [
  { key: 'feed', href: '/', label: 'Feed' },
  { key: 'coverage', href: '/coverage', label: 'Coverage' },
  { key: 'hunts', href: '/hunts', label: 'Hunts' },
  { key: 'console', href: '/console', label: 'Query console' },
];

export interface PageOptions {
  title: string;
  nav: NavKey;
  body: Html;
  /** Store shown in the header (a path, or a note that there is none). */
  dbLabel: string;
  /** The bundle the page needs: `app` (small) or `console` (the editor). */
  bundle?: 'app' | 'console';
  /** A `<link rel=alternate>` for feed readers. */
  atom?: boolean;
}

/** The page shell: no inline script, the bundle loaded from /assets (see security.ts for the CSP). */
export function page(o: PageOptions): string {
  const bundle = o.bundle ?? 'app';
  return (
    '<!doctype html>\n' +
    html`<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${o.title} · socfeed</title>
<link rel="stylesheet" href="/assets/style.css">
${bundle === 'console' ? html`<link rel="stylesheet" href="/assets/console.css">` : ''}
${o.atom ? html`<link rel="alternate" type="application/atom+xml" title="socfeed detection feed" href="/feed.atom">` : ''}
<script type="module" src="/assets/${bundle}.js"></script>
</head>
<body class="page-${o.nav}">
<header class="top">
  <a class="brand" href="/">socfeed</a>
  <nav>${NAV.map((n) => html`<a href="${n.href}"${n.key === o.nav ? html` aria-current="page"` : ''}>${n.label}</a>`)}</nav>
  <span class="store" title="telemetry store">${o.dbLabel}</span>
</header>
<main>
${o.body}
</main>
</body>
</html>
`.text
  );
}

/** A small coloured label. `kind` picks the colour (severity, confidence, source…). */
export function badge(text: string, kind = 'plain', title?: string): Html {
  return html`<span class="badge badge-${kind}"${title ? html` title="${title}"` : ''}>${text}</span>`;
}

/** A time to the minute (`2026-06-01 11:17Z`), the exact value in its tooltip. */
export function shortTime(iso: string | null | undefined): Html {
  if (!iso) return html`—`;
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso);
  return html`<time datetime="${iso}" title="${iso}">${m ? `${m[1]} ${m[2]}Z` : iso}</time>`;
}
