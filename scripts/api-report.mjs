// `node scripts/api-report.mjs [--check]`: the public API of every package, one
// API Extractor report per entry its package.json exports, in api/ (core's
// `./driver-kit` entry as api/core-driver-kit.api.md). Read from the emitted
// .d.ts, so it shows what a user really gets: run `tsc -b` first.
// --check (run by `pnpm test`) fails when a report differs from the
// checked-in one, or API Extractor warns, so a change to a public surface
// shows up in review. Without it, the reports are rewritten.
// New packages and entries are picked up by themselves.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConsoleMessageId, Extractor, ExtractorConfig, ExtractorLogLevel } from '@microsoft/api-extractor';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const check = process.argv.includes('--check');

/** What API Extractor should say: API problems, not the style of our doc comments. */
const messages = {
  compilerMessageReporting: { default: { logLevel: 'warning' } },
  extractorMessageReporting: {
    default: { logLevel: 'warning' },
    // Our stability promise is the report itself, not @public/@beta tags on every name.
    'ae-missing-release-tag': { logLevel: 'none' },
    // A signature naming a type its entry does not export is listed in the report, for review.
    'ae-forgotten-export': { logLevel: 'none', addToApiReportFile: true },
    // The report marks an undocumented member itself, `// (undocumented)`, for review.
    'ae-undocumented': { logLevel: 'none' },
  },
  // Doc comments are written for TypeDoc and editors, not checked as strict TSDoc.
  tsdocMessageReporting: { default: { logLevel: 'none' } },
};

/** One report's configuration: the entry's .d.ts, named after the package and entry. */
function configOf(dir, manifest, entry, dts, reportFolder) {
  const base = manifest.name.replace(/^@[^/]+\//, '');
  const suffix = entry === '.' ? '' : `-${entry.replace(/^\.\//, '').replaceAll('/', '-')}`;
  return ExtractorConfig.prepare({
    configObject: {
      projectFolder: dir,
      mainEntryPointFilePath: dts,
      compiler: { tsconfigFilePath: join(dir, 'tsconfig.json') },
      apiReport: {
        enabled: true,
        reportFileName: `${base}${suffix}`,
        reportFolder,
        reportTempFolder: join(root, 'node_modules', '.cache', 'api-extractor'),
      },
      newlineKind: 'lf',
      docModel: { enabled: false },
      dtsRollup: { enabled: false },
      tsdocMetadata: { enabled: false },
      messages,
    },
    configObjectFullPath: undefined,
    packageJsonFullPath: join(dir, 'package.json'),
  });
}

/**
 * The report with each zod enum's members sorted: tsc prints an inferred
 * `ZodEnum<{ a: "a"; b: "b" }>` in the order it met the members, which a build
 * of other files first may change; sorted, the same API gives the same report.
 */
function normalized(text) {
  return text.replace(/(ZodEnum<\s*\{)(\n[^{}]*\n)( *)\}>/g, (_, open, body, indent) => {
    const members = body.split('\n').filter((line) => line.trim() !== '');
    return `${open}\n${members.sort().join('\n')}\n${indent}}>`;
  });
}

const out = join(root, 'node_modules', '.cache', 'api-extractor', 'reports');
rmSync(out, { recursive: true, force: true });
mkdirSync(join(root, 'api'), { recursive: true });
mkdirSync(out, { recursive: true });
let failed = 0;
for (const entry of readdirSync(join(root, 'packages'), { withFileTypes: true })) {
  const dir = join(root, 'packages', entry.name);
  if (!entry.isDirectory() || !existsSync(join(dir, 'package.json'))) continue;
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  for (const [name, target] of Object.entries(manifest.exports ?? {})) {
    if (typeof target !== 'object' || typeof target.types !== 'string') continue;
    const dts = join(dir, target.types);
    if (!existsSync(dts)) throw new Error(`api-report: ${dts} missing: build first (tsc -b)`);
    const config = configOf(dir, manifest, name, dts, out);
    let problems = 0;
    const result = Extractor.invoke(config, {
      // Always written to `out` first; the comparison with api/ is ours, after normalizing.
      localBuild: true,
      messageCallback: (message) => {
        const chatter =
          message.logLevel === ExtractorLogLevel.Info ||
          message.logLevel === ExtractorLogLevel.Verbose ||
          message.messageId === ConsoleMessageId.ApiReportCreated;
        if (chatter) message.handled = true;
        else if (
          message.logLevel === ExtractorLogLevel.Warning ||
          message.logLevel === ExtractorLogLevel.Error
        )
          problems++;
      },
    });
    const fileName = config.reportConfigs[0]?.fileName ?? `${entry.name}.api.md`;
    const fresh = normalized(readFileSync(join(out, fileName), 'utf8'));
    const file = join(root, 'api', fileName);
    const old = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
    if (old !== fresh && check) {
      console.error(`api-report: api/${fileName} differs from the built public API; run \`pnpm api:update\``);
      failed++;
    } else if (old !== fresh) {
      writeFileSync(file, fresh);
      console.log(`api-report: wrote api/${fileName}`);
    }
    // In --check, a warning fails the check as API Extractor's production mode does.
    if (!result.succeeded || (check && problems > 0)) failed++;
  }
}
if (failed > 0) process.exit(1);
