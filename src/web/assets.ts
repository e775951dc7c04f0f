/**
 * Static assets, read once at start and served from memory with long caching (their URLs change
 * with the package version): the NL Design System CSS (Utrecht tokens and components), SluiS's own
 * CSS and script, icons, the web app manifest and the service worker. /assets/thema.css is made
 * from the municipality's settings.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { FastifyInstance } from 'fastify';
import type { PageServices } from './page-services.ts';
import { themeCss } from './theme.ts';

const require = createRequire(import.meta.url);
const here = (file: string) => new URL(`./assets/${file}`, import.meta.url);
const fromPackage = (specifier: string) => require.resolve(specifier);

type Asset = { body: Buffer; type: string; immutable: boolean };

function load(): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  const add = (path: string, file: string | URL, type: string, immutable = true) => assets.set(path, { body: readFileSync(file), type, immutable });
  add('/assets/utrecht-tokens.css', fromPackage('@utrecht/design-tokens/dist/index.css'), 'text/css; charset=utf-8');
  add('/assets/utrecht-components.css', fromPackage('@utrecht/component-library-css/dist/index.css'), 'text/css; charset=utf-8');
  add('/assets/sluis.css', here('sluis.css'), 'text/css; charset=utf-8', false);
  add('/assets/sluis.js', here('sluis.js'), 'text/javascript; charset=utf-8', false);
  add('/assets/icon.svg', here('icon.svg'), 'image/svg+xml', false);
  add('/assets/icon-192.png', here('icon-192.png'), 'image/png', false);
  add('/assets/icon-512.png', here('icon-512.png'), 'image/png', false);
  add('/manifest.webmanifest', here('manifest.webmanifest'), 'application/manifest+json; charset=utf-8', false);
  // At the root, so the service worker's scope is the whole site.
  add('/sw.js', here('sw.js'), 'text/javascript; charset=utf-8', false);
  const worker = assets.get('/sw.js')!;
  worker.body = Buffer.from(
    versionedWorker(worker.body.toString('utf8'), assetVersion([...assets].filter(([path]) => path !== '/sw.js').map(([, a]) => a.body))),
  );
  return assets;
}

/** A short fingerprint of the static assets: it changes whenever one of them does. */
export function assetVersion(bodies: readonly Buffer[]): string {
  const hash = createHash('sha256');
  for (const body of bodies) hash.update(createHash('sha256').update(body).digest());
  return hash.digest('hex').slice(0, 12);
}

/**
 * The service worker with its cache named after the assets' fingerprint. The worker's own bytes then
 * change with every change to the CSS, script or icons, so an installed app picks up the new worker,
 * fills a new cache and drops the old one, instead of serving yesterday's CSS to today's pages.
 */
export function versionedWorker(source: string, version: string): string {
  const named = source.replace("const CACHE = 'sluis-static-v1';", `const CACHE = 'sluis-static-${version}';`);
  if (named === source) throw new Error('sw.js: the cache name to version is missing');
  return named;
}

export function registerAssets(app: FastifyInstance, services: Pick<PageServices, 'settings'>) {
  const assets = load();
  for (const [path, asset] of assets) {
    app.get(path, { schema: { hide: true } }, async (_request, reply) => {
      reply.header('cache-control', asset.immutable ? 'public, max-age=604800' : 'public, max-age=300, must-revalidate');
      if (path === '/sw.js') {
        reply.header('service-worker-allowed', '/');
        // A worker runs under its script's CSP: it may fetch this site's own assets, nothing else.
        reply.header('content-security-policy', "default-src 'none'; connect-src 'self'");
      }
      return reply.type(asset.type).send(asset.body);
    });
  }
  app.get('/assets/thema.css', { schema: { hide: true } }, async (_request, reply) => {
    const settings = await services.settings.current();
    reply.header('cache-control', 'public, max-age=300');
    return reply.type('text/css; charset=utf-8').send(themeCss(settings.theme));
  });
}
