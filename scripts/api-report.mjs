// `node scripts/api-report.mjs [--check]`: the public API of every package,
// one report per package in api/<name>.api.md, read from the emitted .d.ts of
// each entry its package.json exports (so it shows what a user really gets).
// --check (run by `pnpm test`) fails when a report differs from the checked-in
// one: a change to a public surface must show up in review. Run without it
// after such a change to rewrite the reports. New packages under packages/
// are picked up by themselves.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const check = process.argv.includes('--check');

/**
 * Sorts the members of every union type by their printed text. tsc emits an inferred union in
 * the order it met the members, which an incremental build may change; sorting keeps the
 * report the same for the same API.
 */
function sortUnions(printer, file) {
  return (context) => {
    const visit = (node) => {
      const visited = ts.visitEachChild(node, visit, context);
      if (!ts.isUnionTypeNode(visited)) return visited;
      const text = (member) => printer.printNode(ts.EmitHint.Unspecified, member, file);
      const sorted = [...visited.types].sort((a, b) => text(a).localeCompare(text(b)));
      return context.factory.updateUnionTypeNode(visited, context.factory.createNodeArray(sorted));
    };
    return (root) => ts.visitNode(root, visit);
  };
}

/** Each exported name of one entry with its declaration as emitted (doc comments left out). */
function surfaceOf(dtsPath) {
  const program = ts.createProgram([dtsPath], {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    types: ['node'],
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(dtsPath);
  const moduleSymbol = source && checker.getSymbolAtLocation(source);
  if (!moduleSymbol) throw new Error(`api-report: cannot read ${dtsPath}`);
  const printer = ts.createPrinter({ removeComments: true });
  const lines = [];
  for (const exported of checker
    .getExportsOfModule(moduleSymbol)
    .sort((a, b) => a.name.localeCompare(b.name))) {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    for (const declaration of symbol.declarations ?? []) {
      const statement = ts.findAncestor(declaration, (node) => ts.isSourceFile(node.parent)) ?? declaration;
      const file = statement.getSourceFile();
      const [sortedStatement] = ts.transform(statement, [sortUnions(printer, file)]).transformed;
      const text = printer
        .printNode(ts.EmitHint.Unspecified, sortedStatement, file)
        .replace(/^export (declare )?/, '');
      const alias = exported.name === symbol.name ? '' : ` (as ${exported.name})`;
      lines.push(`// ${exported.name}${alias}\n${text}`);
    }
  }
  return lines.join('\n\n');
}

function reportOf(dir) {
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const parts = [
    `# API report: ${manifest.name}`,
    '',
    'Written by scripts/api-report.mjs from the emitted .d.ts; do not edit.',
    '',
  ];
  for (const [entry, target] of Object.entries(manifest.exports ?? {})) {
    if (typeof target !== 'object' || typeof target.types !== 'string') continue;
    const dts = join(dir, target.types);
    if (!existsSync(dts)) throw new Error(`api-report: ${dts} missing: build first (tsc -b)`);
    parts.push(`## ${join(manifest.name, entry)}`, '', '```ts', surfaceOf(dts), '```', '');
  }
  return { name: manifest.name.replace(/^@[^/]+\//, ''), text: parts.join('\n') };
}

const apiDir = join(root, 'api');
mkdirSync(apiDir, { recursive: true });
let differs = 0;
for (const entry of readdirSync(join(root, 'packages'), { withFileTypes: true })) {
  if (!entry.isDirectory() || !existsSync(join(root, 'packages', entry.name, 'package.json'))) continue;
  const { name, text } = reportOf(join(root, 'packages', entry.name));
  const file = join(apiDir, `${name}.api.md`);
  const old = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
  if (old === text) continue;
  if (check) {
    differs++;
    console.error(
      `api-report: api/${name}.api.md differs from the built public API; run \`pnpm api:update\` and review the diff`,
    );
  } else {
    writeFileSync(file, text);
    console.log(`api-report: wrote api/${name}.api.md`);
  }
}
if (differs > 0) process.exit(1);
