import { html } from '../html.js';
import { page } from '../layout.js';

export function errorPage(status: number, message: string, hint?: string): string {
  const body = html`<section class="error-page">
<h1>${status === 404 ? 'Not found' : status === 401 ? 'Sign-in needed' : status >= 500 ? 'Something went wrong' : 'Cannot do that'}</h1>
<p>${message}</p>
${hint ? html`<p class="muted">${hint}</p>` : ''}
<p><a href="/">← Back to SOC feed</a></p>
</section>`;
  return page({ title: `${status}`, nav: 'rule', body, dbLabel: '' });
}
