// Browser-facing routes: the widget script, the demo page, the document viewer, the plan view and their assets.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hono, type Context } from 'hono';
import { kindLabels } from '../register/index.ts';
import type { RouteDeps } from './api.ts';

/** A character with a meaning in HTML, e.g. the `<` of `<script>`. */
const HTML_SPECIAL_RE = /[&<>"']/g;

/** Folder holding widget.js and the pages' HTML, scripts and styles. */
export const PUBLIC_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'public');

/** Cache lifetime for the widget and assets: short, so a redeploy reaches pages within minutes. */
const ASSET_MAX_AGE_S = 300;

/**
 * Pages load only our own scripts; styles may be inline (the widget's Shadow DOM carries its own sheet);
 * no plugin, no framing by other sites. Document text is inserted as text, so this is a second line of defence.
 */
const PAGE_CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'";

const ASSETS: Record<string, string> = {
  'viewer.js': 'text/javascript',
  'plan.js': 'text/javascript',
  'page-common.js': 'text/javascript',
  'demo.js': 'text/javascript',
  'pages.css': 'text/css',
};

function read(name: string): string {
  return readFileSync(path.join(PUBLIC_DIR, name), 'utf8');
}

/** Escapes text for an HTML attribute or element body. */
export function escapeHtml(s: string): string {
  return s.replace(HTML_SPECIAL_RE, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
}

function html(c: Context, body: string, status: 200 | 404 = 200): Response {
  return c.body(body, status, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': PAGE_CSP, 'cache-control': 'no-cache' });
}

/**
 * Builds the page routes. Files are read once here, so a broken install fails at start-up, not on first visit.
 * @example app.route('/', createPageRoutes({ engine: () => engine, config, log }))
 */
export function createPageRoutes(deps: RouteDeps): Hono {
  const widget = read('widget.js');
  const demo = read('demo.html');
  const viewer = read('document.html');
  const plan = read('plan.html');
  const notFound = read('not-found.html');
  const assets = new Map(Object.entries(ASSETS).map(([name, type]) => [name, { type, body: read(name) }]));
  const pages = new Hono();
  // Task-kind names for the plan view, from the register's data file (the page keeps no copy of its own).
  const taskKinds = JSON.stringify({ kinds: kindLabels() });
  pages.get('/assets/task-kinds.json', (c) =>
    c.body(taskKinds, 200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': `public, max-age=${ASSET_MAX_AGE_S}` }),
  );

  // Never the request's Host header (a client could make the page load scripts from elsewhere): PUBLIC_URL when set,
  // else same-origin relative URLs (the widget then calls the origin it was loaded from).
  const demoPage = demo.replaceAll('%%ORIGIN%%', escapeHtml(deps.config.publicUrl ?? ''));

  pages.get('/', (c) => html(c, demoPage));

  pages.get('/widget.js', (c) =>
    c.body(widget, 200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': `public, max-age=${ASSET_MAX_AGE_S}`, 'access-control-allow-origin': '*' }),
  );

  pages.get('/assets/:name', (c) => {
    const a = assets.get(c.req.param('name'));
    if (!a) return c.json({ error: { code: 'not_found', message: 'no such asset' } }, 404);
    return c.body(a.body, 200, { 'content-type': `${a.type}; charset=utf-8`, 'cache-control': `public, max-age=${ASSET_MAX_AGE_S}` });
  });

  // The shells are static: the scripts read the id from the URL and fetch /api, so nothing from the index is templated into HTML.
  pages.get('/documents/:id', (c) => (deps.engine().document(c.req.param('id')) ? html(c, viewer) : html(c, notFound, 404)));
  pages.get('/plans/:id', (c) => (deps.engine().document(c.req.param('id')) ? html(c, plan) : html(c, notFound, 404)));

  return pages;
}
