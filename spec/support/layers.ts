// The import graph of src/ and its layers: src/core (any JavaScript runtime), src/node (Node.js)
// and src/app (the application). Arrows point down only: the core imports nothing from node or
// app and no Node built-in, and uses no Node-only global; node never imports app.
import { builtinModules } from 'module';
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

export type Layer = 'core' | 'node' | 'app';

/** The layer of a file under src/ (posix path relative to src/), or null for an entry file. */
export function layerOf(file: string): Layer | null {
  if (file.startsWith('core/')) return 'core';
  if (file.startsWith('node/')) return 'node';
  if (file.startsWith('app/')) return 'app';
  return null;
}

/** What each layer may import: layers below it, and which outside modules. */
const MAY_IMPORT: Record<Layer, { layers: readonly Layer[]; builtins: boolean }> = {
  core: { layers: ['core'], builtins: false },
  node: { layers: ['core', 'node'], builtins: true },
  app: { layers: ['core', 'node', 'app'], builtins: true },
};

/** Packages the library may import (its runtime dependencies); anything else is refused. */
const PACKAGES: Record<Layer, readonly string[]> = {
  core: ['seedrandom'],
  node: ['seedrandom'],
  // The CLI's chart and progress bar are optional dev dependencies, loaded by a guarded require.
  app: ['seedrandom', 'asciichart', 'cli-progress'],
};

/** Globals that exist only in Node.js; the core may reach them only as `globalThis.x`. */
const NODE_GLOBALS = new Set(['process', 'Buffer', '__dirname', '__filename', 'require']);

/** The entry files and the one layer each may import (what the package exports). */
export const ENTRY_LAYERS: Record<string, Layer> = {
  'index.ts': 'core',
};

const BUILTINS = new Set(builtinModules);

function isBuiltin(specifier: string): boolean {
  return specifier.startsWith('node:') || BUILTINS.has(specifier.split('/')[0]);
}

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Every module specifier a file names: imports, re-exports, import(), require(), augmentations. */
export function specifiersOf(text: string): string[] {
  return ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName);
}

/** Identifiers of Node-only globals used freely (not as a property, not declared) in `text`. */
export function nodeGlobalsIn(file: string, text: string): { name: string; line: number }[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  const found: { name: string; line: number }[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && NODE_GLOBALS.has(node.text)) {
      const parent = node.parent;
      const isMemberName =
        (ts.isPropertyAccessExpression(parent) && parent.name === node) ||
        (ts.isPropertyAssignment(parent) && parent.name === node) ||
        (ts.isPropertySignature(parent) && parent.name === node) ||
        (ts.isPropertyDeclaration(parent) && parent.name === node) ||
        (ts.isMethodDeclaration(parent) && parent.name === node) ||
        (ts.isParameter(parent) && parent.name === node) ||
        (ts.isVariableDeclaration(parent) && parent.name === node) ||
        ts.isQualifiedName(parent) ||
        ts.isModuleDeclaration(parent);
      if (!isMemberName) {
        const { line } = source.getLineAndCharacterOfPosition(node.getStart());
        found.push({ name: node.text, line: line + 1 });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** Every .ts file under `dir`, as posix paths relative to `dir`. */
export function sourceFiles(dir: string, sub = ''): string[] {
  return fs
    .readdirSync(path.join(dir, sub), { withFileTypes: true })
    .flatMap((e) => {
      const name = sub ? `${sub}/${e.name}` : e.name;
      if (e.isDirectory()) return sourceFiles(dir, name);
      return e.name.endsWith('.ts') ? [name] : [];
    })
    .sort();
}

function resolveRelative(srcDir: string, from: string, specifier: string): string | null {
  const base = path.posix.join(path.posix.dirname(from), specifier);
  for (const candidate of [`${base}.ts`, `${base}/index.ts`, base].map(path.posix.normalize)) {
    if (fs.existsSync(path.join(srcDir, candidate)) && candidate.endsWith('.ts')) return candidate;
  }
  return null;
}

/**
 * The layering's violations in the tree at `srcDir`, one line each, naming the file (relative
 * to `srcDir`), the line where it helps, and what it may not import.
 */
export function layerViolations(srcDir: string): string[] {
  const problems: string[] = [];
  for (const file of sourceFiles(srcDir)) {
    const text = fs.readFileSync(path.join(srcDir, file), 'utf8');
    const layer = layerOf(file) ?? ENTRY_LAYERS[file];
    if (!layer) {
      problems.push(
        `${file}: a file outside src/core, src/node and src/app that is no entry point`,
      );
      continue;
    }
    const entryOnly = layerOf(file) === null;
    const rules = MAY_IMPORT[layer];
    for (const specifier of specifiersOf(text)) {
      if (specifier.startsWith('.')) {
        const target = resolveRelative(srcDir, file, specifier);
        if (target === null) {
          problems.push(`${file}: imports '${specifier}', which is no file under src/`);
          continue;
        }
        // An entry point counts as the layer it exports, but the core never imports one.
        const targetLayer = layerOf(target);
        const allowed = entryOnly
          ? targetLayer === layer
          : targetLayer !== null
            ? rules.layers.includes(targetLayer)
            : layer !== 'core' && rules.layers.includes(ENTRY_LAYERS[target]);
        if (!allowed) {
          const what = targetLayer ? `the ${targetLayer} layer` : 'an entry point';
          problems.push(
            `${file}: the ${layer} layer imports ${what} ('${specifier}' is ${target})`,
          );
        }
      } else if (isBuiltin(specifier)) {
        if (!rules.builtins) {
          problems.push(`${file}: the ${layer} layer imports the Node built-in '${specifier}'`);
        }
      } else if (!PACKAGES[layer].includes(packageName(specifier))) {
        problems.push(
          `${file}: the ${layer} layer imports the package '${specifier}', which is not one of ${PACKAGES[layer].join(', ')}`,
        );
      }
    }
    if (layer === 'core') {
      for (const { name, line } of nodeGlobalsIn(file, text)) {
        problems.push(`${file}:${line}: the core layer uses the Node.js global '${name}'`);
      }
    }
  }
  return problems;
}
