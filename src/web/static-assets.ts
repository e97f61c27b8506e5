/**
 * The page's own files (assets/: HTML, CSS, JS), read once when the UI starts and served from
 * memory by exact name: nothing else on disk can be asked for, and nothing comes from a CDN.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface Asset {
  body: Buffer;
  contentType: string;
}

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/**
 * The assets' directory: compiled, this module runs from dist/src/web/ and the files stay in the
 * source tree (src/web/assets/, shipped in the package's "files"); from source (tsx) they sit beside it.
 */
export function assetsDirectory(): string {
  const fromDist = fileURLToPath(new URL('../../../src/web/assets/', import.meta.url));
  if (existsSync(fromDist)) return fromDist;
  return fileURLToPath(new URL('./assets/', import.meta.url));
}

/** Every file of the directory with a known type, by name. */
export function loadAssets(dir = assetsDirectory()): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  for (const name of readdirSync(dir)) {
    const ext = name.slice(name.lastIndexOf('.'));
    const contentType = TYPES[ext];
    if (contentType !== undefined) assets.set(name, { body: readFileSync(`${dir}${name}`), contentType });
  }
  if (!assets.has('index.html')) throw new Error(`the web UI's page is missing: no index.html in ${dir}`);
  return assets;
}
