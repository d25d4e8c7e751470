/**
 * The export names of a package entry, read from its TypeScript source without loading it:
 * the Strands entry is ESM-only and imports an optional peer, and the construct library
 * pulls in aws-cdk-lib. Types are listed as `type Name`, so a value that becomes type-only
 * (or the reverse) shows in the list too.
 */
import * as path from 'node:path';
import * as ts from 'typescript';

export const PACKAGE_ROOT = path.join(__dirname, '..', '..');

/** One program over every source file: the entries' re-exports resolve among them, nothing else is parsed. */
function sourceProgram(): ts.Program {
  const sources = ['lib', 'lambda']
    .flatMap((folder) => ts.sys.readDirectory(path.join(PACKAGE_ROOT, folder), ['.ts']))
    .filter((file) => !file.endsWith('.d.ts'));
  return ts.createProgram(sources, {
    module: ts.ModuleKind.Preserve,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    target: ts.ScriptTarget.ES2022,
    noResolve: true,
    noLib: true,
    types: [],
    noEmit: true,
  });
}

let program: ts.Program | undefined;

/** The sorted export names of a source file under the package root, types as `type Name`. */
export function exportNamesOf(sourcePath: string): string[] {
  program ??= sourceProgram();
  const checker = program.getTypeChecker();
  const sourceFile = program.getSourceFile(path.join(PACKAGE_ROOT, sourcePath));
  const moduleSymbol = sourceFile && checker.getSymbolAtLocation(sourceFile);
  if (moduleSymbol === undefined) throw new Error(`${sourcePath} is not a module of the package's sources`);
  return checker
    .getExportsOfModule(moduleSymbol)
    .map((symbol) => {
      const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
      return { name: symbol.name, isValue: (target.flags & ts.SymbolFlags.Value) !== 0 };
    })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map(({ name, isValue }) => (isValue ? name : `type ${name}`));
}

type ExportTarget = string | { readonly [condition: string]: ExportTarget };

/** The TypeScript source of a package.json `exports` entry: its declaration file's path, back in the sources. */
export function sourceOfEntry(target: ExportTarget): string {
  const declarations = findTypes(target);
  const match = /^\.\/dist\/(?:cjs|esm)\/(.+)\.d\.ts$/.exec(declarations);
  if (match === null) throw new Error(`${declarations} is not a declaration file under dist/cjs or dist/esm`);
  return `${match[1]}.ts`;
}

function findTypes(target: ExportTarget): string {
  if (typeof target === 'string') throw new Error(`${target} names no types`);
  if (typeof target.types === 'string') return target.types;
  const nested = target.import ?? target.require ?? target.default;
  if (nested === undefined) throw new Error('an export entry without types');
  return findTypes(nested);
}
