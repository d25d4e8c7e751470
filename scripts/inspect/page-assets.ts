/**
 * The inspector page's files, read once when the server starts. They sit beside this
 * module in `inspect-page/`, in the repository and in the packed bin alike (the build
 * copies the folder next to `dist/bin/agentcore-memory.js`, and both resolve through
 * `__dirname`). Only these paths are served: no file name from a request reaches the disk.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

export const PAGE_DIRECTORY = path.join(__dirname, 'inspect-page');

export interface PageAsset {
  readonly contentType: string;
  readonly body: Buffer;
}

const FILES: Readonly<Record<string, readonly [file: string, contentType: string]>> = {
  '/': ['index.html', 'text/html; charset=utf-8'],
  '/inspector.css': ['inspector.css', 'text/css; charset=utf-8'],
  '/inspector.js': ['inspector.js', 'text/javascript; charset=utf-8'],
};

/** The page's assets by URL path. */
export function loadPageAssets(directory = PAGE_DIRECTORY): ReadonlyMap<string, PageAsset> {
  return new Map(
    Object.entries(FILES).map(([urlPath, [file, contentType]]) => [
      urlPath,
      { contentType, body: readFileSync(path.join(directory, file)) },
    ]),
  );
}
