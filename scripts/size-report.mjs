// `node scripts/size-report.mjs`: source files over 300 lines and functions over
// 80 lines in packages/*/src, cloud-sim excluded (issue 25's size rule). Reads
// the sources with the TypeScript compiler API; exits 1 when anything is over.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ts = createRequire(join(root, 'package.json'))('typescript');
const MAX_FILE_LINES = 300;
const MAX_FUNCTION_LINES = 80;

/** Every .ts file under `dir`, recursively. */
function tsFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return tsFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

const packages = readdirSync(join(root, 'packages')).filter((name) => name !== 'cloud-sim');
const files = packages.flatMap((name) => {
  try {
    return tsFiles(join(root, 'packages', name, 'src'));
  } catch {
    return []; // a package without src/
  }
});

const over = [];
for (const file of files) {
  const text = readFileSync(file, 'utf8');
  const name = relative(root, file);
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const fileLines = source.getLineAndCharacterOfPosition(text.length).line + (text.endsWith('\n') ? 0 : 1);
  if (fileLines > MAX_FILE_LINES) over.push(`file ${name}: ${fileLines} lines`);
  const visit = (node) => {
    if (ts.isFunctionLike(node) && node.body) {
      const start = source.getLineAndCharacterOfPosition(node.getStart()).line;
      const end = source.getLineAndCharacterOfPosition(node.end).line;
      const lines = end - start + 1;
      const label = node.name?.getText() ?? '(anonymous)';
      if (lines > MAX_FUNCTION_LINES) over.push(`function ${label} at ${name}:${start + 1}: ${lines} lines`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
}
for (const line of over) console.log(line);
console.log(`size-report: ${files.length} files, ${over.length} over the limits`);
process.exitCode = over.length === 0 ? 0 : 1;
