import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

interface LockEntry {
  version?: string;
  resolved?: string;
  integrity?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  [key: string]: unknown;
}

interface PackageLock {
  packages: Record<string, LockEntry>;
}

/** The lock entry that `dependency` resolves to from the package at `from`, as Node looks it up. */
function resolveFrom(packages: Record<string, LockEntry>, from: string, dependency: string): string | undefined {
  let base = from;
  for (;;) {
    const candidate = `${base ? `${base}/` : ''}node_modules/${dependency}`;
    if (packages[candidate]) return candidate;
    if (!base) return undefined;
    base = base.slice(0, base.lastIndexOf('node_modules/')).replace(/\/$/, '');
  }
}

/**
 * Writes a package-lock.json for a new project out of this repository's own lock, so that
 * `npm ci --offline` installs it from the npm cache that this repository's `npm ci` filled,
 * with no registry metadata needed: the project's dependencies must be versions this
 * repository also installs. `tarball` is installed as the package it holds.
 */
export function installOffline(
  projectDirectory: string,
  repositoryRoot: string,
  tarball: string,
  dependencies: Record<string, string>,
  packageJson: Record<string, unknown> = {},
): void {
  const lock = JSON.parse(readFileSync(path.join(repositoryRoot, 'package-lock.json'), 'utf8')) as PackageLock;
  const tarballManifest = JSON.parse(
    execFileSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' }),
  ) as LockEntry & { name: string };
  const name = path.basename(projectDirectory);
  const tarballSpec = `file:${path.relative(projectDirectory, tarball)}`;
  const rootDependencies = { [tarballManifest.name]: tarballSpec, ...dependencies };

  const selected = new Map<string, LockEntry>();
  const visit = (from: string, wanted: Record<string, string> = {}, optional = new Set<string>()) => {
    for (const dependency of Object.keys(wanted)) {
      const found = resolveFrom(lock.packages, from, dependency);
      if (!found) {
        if (optional.has(dependency)) continue;
        throw new Error(`${dependency} (needed by ${from || name}) is not in this repository's package-lock.json`);
      }
      if (selected.has(found)) continue;
      const entry = lock.packages[found];
      selected.set(found, entry);
      const optionalPeers = new Set(
        Object.entries(entry.peerDependenciesMeta ?? {})
          .filter(([, meta]) => meta.optional)
          .map(([peer]) => peer),
      );
      visit(found, entry.dependencies);
      visit(found, entry.optionalDependencies, new Set(Object.keys(entry.optionalDependencies ?? {})));
      visit(
        found,
        Object.fromEntries(Object.entries(entry.peerDependencies ?? {}).filter(([peer]) => !optionalPeers.has(peer))),
      );
    }
  };
  visit('', dependencies);
  visit('', tarballManifest.dependencies);

  const packages: Record<string, LockEntry> = {
    '': { name, ...packageJson, dependencies: rootDependencies },
    [`node_modules/${tarballManifest.name}`]: {
      version: tarballManifest.version,
      resolved: tarballSpec,
      integrity: `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`,
      // npm ci links bins from the lock entry.
      bin: tarballManifest.bin,
      dependencies: tarballManifest.dependencies,
      peerDependencies: tarballManifest.peerDependencies,
      peerDependenciesMeta: tarballManifest.peerDependenciesMeta,
    },
  };
  for (const [location, entry] of [...selected].sort(([a], [b]) => a.localeCompare(b))) {
    const { dev: _dev, devOptional: _devOptional, peer: _peer, ...kept } = entry;
    packages[location] = kept;
  }

  mkdirSync(projectDirectory, { recursive: true });
  writeFileSync(
    path.join(projectDirectory, 'package.json'),
    JSON.stringify({ name, private: true, ...packageJson, dependencies: rootDependencies }, null, 2),
  );
  writeFileSync(
    path.join(projectDirectory, 'package-lock.json'),
    JSON.stringify({ name, lockfileVersion: 3, requires: true, packages }, null, 2),
  );
  execFileSync('npm', ['ci', '--offline', '--no-audit', '--no-fund', '--ignore-scripts'], {
    cwd: projectDirectory,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}
