#!/usr/bin/env node
// `npm run api-report`: writes api/<package>.api.md, the public API of every package entry point
// (each name it exports and that name's declaration, read from the compiled .d.ts files), so a
// change to what users write against shows up in review as a diff of those files.
// `--check` (run by `npm test`) fails when the committed reports differ from the build, and when an
// app imports a package's internal entry or a path no package exports.
//
// A small .d.ts walker rather than api-extractor: TypeScript 7 no longer ships the JS compiler API
// that api-extractor drives, and the .d.ts text tsc emits already is the signature we want to see.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const reportDir = path.join(root, 'api');

/** Public entry points of a package: its `exports` (minus `./internal` and `./package.json`), or `types`. */
function entries(pkgDir) {
  const pkg = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
  if (!pkg.exports) return [{ name: pkg.name, dts: path.join(pkgDir, pkg.types ?? 'dist/index.d.ts') }];
  return Object.entries(pkg.exports)
    .filter(([sub]) => sub !== './package.json' && !sub.includes('internal'))
    .map(([sub, target]) => ({ name: sub === '.' ? pkg.name : `${pkg.name}/${sub.slice(2)}`, dts: path.join(pkgDir, typeof target === 'string' ? target.replace(/\.js$/, '.d.ts') : target.types) }));
}

/** Removes comments, keeping string contents intact. */
function stripComments(text) {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === "'" || c === '`') {
      const start = i;
      for (i++; i < text.length && text[i] !== c; i++) if (text[i] === '\\') i++;
      out += text.slice(start, i + 1);
    } else if (c === '/' && text[i + 1] === '*') {
      i = text.indexOf('*/', i + 2) + 1;
    } else if (c === '/' && text[i + 1] === '/') {
      i = text.indexOf('\n', i);
      if (i < 0) break;
      out += '\n';
    } else out += c;
  }
  return out;
}

/** Splits a .d.ts into top-level statements (`;` or a closing brace at depth 0 ends one). */
function statements(text) {
  const result = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === "'" || c === '`') {
      for (i++; i < text.length && text[i] !== c; i++) if (text[i] === '\\') i++;
    } else if (c === '{' || c === '(' || c === '[') depth++;
    else if (c === '}' || c === ')' || c === ']') {
      depth--;
      if (depth === 0 && c === '}' && /^\s*(export\s+)?(declare\s+)?(abstract\s+)?(class|interface|enum|namespace|module)\b/.test(text.slice(start, i))) {
        const next = text.slice(i + 1).match(/^\s*;?/)[0];
        result.push(text.slice(start, i + 1).trim());
        i += next.length;
        start = i + 1;
      }
    } else if (c === ';' && depth === 0) {
      result.push(text.slice(start, i + 1).trim());
      start = i + 1;
    }
  }
  const rest = text.slice(start).trim();
  if (rest) result.push(rest);
  return result.filter((s) => s.length > 0);
}

const cache = new Map();

/** Exported names of a .d.ts → { kind, text } (following re-exports). */
function exportsOf(file) {
  if (cache.has(file)) return cache.get(file);
  const out = new Map();
  cache.set(file, out);
  const local = new Map();
  const imports = new Map();
  const source = stripComments(fs.readFileSync(file, 'utf8'));
  const resolve = (spec) => {
    if (!spec.startsWith('.')) return undefined;
    const base = path.resolve(path.dirname(file), spec);
    return [`${base}.d.ts`, path.join(base, 'index.d.ts')].find((f) => fs.existsSync(f));
  };
  const pending = [];
  for (const stmt of statements(source)) {
    let m;
    if ((m = stmt.match(/^export\s+(type\s+)?\*\s+from\s+['"]([^'"]+)['"]/))) {
      const target = resolve(m[2]);
      if (target) for (const [name, decl] of exportsOf(target)) if (!out.has(name)) out.set(name, decl);
    } else if ((m = stmt.match(/^export\s+(type\s+)?\{([^}]*)\}\s*(from\s+['"]([^'"]+)['"])?/))) {
      for (const part of m[2].split(',').map((s) => s.trim()).filter(Boolean)) {
        const [orig, alias] = part.replace(/^type\s+/, '').split(/\s+as\s+/);
        pending.push({ name: alias ?? orig, orig, from: m[4] });
      }
    } else if ((m = stmt.match(/^import\s+(type\s+)?(.*?)\s+from\s+['"]([^'"]+)['"]/s))) {
      const clause = m[2];
      const named = clause.match(/\{([^}]*)\}/);
      if (named) for (const part of named[1].split(',').map((s) => s.trim()).filter(Boolean)) {
        const [orig, alias] = part.replace(/^type\s+/, '').split(/\s+as\s+/);
        imports.set(alias ?? orig, { orig, from: m[3] });
      }
    } else if ((m = stmt.match(/^(export\s+)?(declare\s+)?(abstract\s+)?(class|interface|type|function|const|let|var|enum|namespace)\s+([A-Za-z_$][\w$]*)/))) {
      const entry = { kind: m[4], text: stmt.replace(/^export\s+/, '').replace(/^declare\s+/, '') };
      const name = m[5];
      const prev = local.get(name);
      // Overloads and declaration merging (a const and an interface of one name) are listed together.
      local.set(name, prev ? { kind: `${prev.kind}+${entry.kind}`, text: `${prev.text}\n${entry.text}` } : entry);
      if (m[1]) out.set(name, local.get(name));
    }
  }
  for (const { name, orig, from } of pending) {
    if (from !== undefined) {
      const target = resolve(from);
      const decl = target ? exportsOf(target).get(orig) : { kind: 'external', text: `export { ${orig} } from '${from}'` };
      if (decl) out.set(name, decl);
    } else if (local.has(orig)) out.set(name, local.get(orig));
    else if (imports.has(orig)) {
      const imp = imports.get(orig);
      const target = resolve(imp.from);
      const decl = target ? exportsOf(target).get(imp.orig) : { kind: 'external', text: `export { ${imp.orig} } from '${imp.from}'` };
      if (decl) out.set(name, decl);
    }
  }
  return out;
}

function report(entry) {
  cache.clear();
  const names = exportsOf(entry.dts);
  const lines = [`# API report: \`${entry.name}\``, '', 'Generated by `npm run api-report` from the compiled declarations; do not edit.', ''];
  for (const name of [...names.keys()].sort((a, b) => a.localeCompare(b))) {
    const { kind, text } = names.get(name);
    const body = text.split('\n').filter((l) => l.trim() !== '').join('\n');
    lines.push(`## ${name} (${kind})`, '', '```ts', body, '```', '');
  }
  return lines.join('\n');
}

function reportFile(name) {
  return path.join(reportDir, `${name.replace(/^@pitaya-ts\//, '').replace(/\//g, '-')}.api.md`);
}

/** Imports of apps that bypass a package's public entries. */
function appViolations() {
  const allowed = new Set();
  const libraries = new Set();
  for (const dir of fs.readdirSync(path.join(root, 'packages'))) {
    const pkgDir = path.join(root, 'packages', dir);
    if (!fs.existsSync(path.join(pkgDir, 'package.json'))) continue;
    libraries.add(JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8')).name);
    for (const e of entries(pkgDir)) allowed.add(e.name);
  }
  const bad = [];
  const walk = (dir) => {
    for (const item of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, item.name);
      if (item.isDirectory()) walk(full);
      else if (item.name.endsWith('.ts')) {
        const text = fs.readFileSync(full, 'utf8');
        for (const m of text.matchAll(/from\s+['"](@pitaya-ts\/[^'"]+)['"]/g)) {
          const library = m[1].split('/').slice(0, 2).join('/');
          if (libraries.has(library) && !allowed.has(m[1])) bad.push(`${path.relative(root, full)} imports ${m[1]}, which is not a public entry point`);
        }
      }
    }
  };
  for (const app of fs.readdirSync(path.join(root, 'apps'))) {
    for (const sub of ['src', 'test']) {
      const dir = path.join(root, 'apps', app, sub);
      if (fs.existsSync(dir)) walk(dir);
    }
  }
  return bad;
}

function main() {
  const check = process.argv.includes('--check');
  const problems = [];
  fs.mkdirSync(reportDir, { recursive: true });
  const expected = new Set();
  for (const dir of fs.readdirSync(path.join(root, 'packages')).sort()) {
    const pkgDir = path.join(root, 'packages', dir);
    if (!fs.existsSync(path.join(pkgDir, 'package.json'))) continue;
    for (const entry of entries(pkgDir)) {
      if (!fs.existsSync(entry.dts)) {
        problems.push(`${entry.name}: ${path.relative(root, entry.dts)} is missing (build first)`);
        continue;
      }
      const file = reportFile(entry.name);
      expected.add(file);
      const text = report(entry);
      const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
      if (current === text) continue;
      if (check) problems.push(`${path.relative(root, file)} is out of date: the public API of ${entry.name} changed. Run \`npm run api-report\` and commit the result.`);
      else fs.writeFileSync(file, text);
    }
  }
  for (const file of fs.readdirSync(reportDir).map((f) => path.join(reportDir, f))) {
    if (expected.has(file)) continue;
    if (check) problems.push(`${path.relative(root, file)} belongs to no package entry: run \`npm run api-report\``);
    else fs.rmSync(file);
  }
  problems.push(...appViolations());
  if (problems.length > 0) {
    for (const p of problems) console.error(`api-report: ${p}`);
    process.exit(1);
  }
  console.log(check ? 'api-report: public API unchanged' : `api-report: wrote ${path.relative(root, reportDir)}/`);
}

if (require.main === module) main();
module.exports = { exportsOf, statements, stripComments };
