// The TypeScript blocks of the README and docs/ are code: each type-checks as a user's program
// would, those fenced `ts run` also run, and a block that is neither says why (`ts no-check: why`).
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import { allCodeBlocks, blockName, type CodeBlock, repoRoot } from './code-blocks.js';
import { userProgramOptions as options } from './user-program.js';

const tsBlocks = allCodeBlocks().filter((block) => block.lang === 'ts' || block.lang === 'typescript');
const checked = tsBlocks.filter((block) => block.mode === '' || block.mode === 'run');
const runnable = tsBlocks.filter((block) => block.mode === 'run');

// Virtual files beside this test, so that module resolution finds the workspace's packages.
const virtualPath = (block: CodeBlock): string => join(repoRoot, 'test', 'docs', `__${blockName(block)}.ts`);

/** One program over every checked block; the errors of each block's own file, by file name. */
function typeCheck(blocks: readonly CodeBlock[]): Map<string, string[]> {
  const files = new Map(blocks.map((block) => [virtualPath(block), block.code]));
  const host = ts.createCompilerHost(options);
  const { fileExists, readFile, getSourceFile } = host;
  host.fileExists = (name) => files.has(name) || fileExists.call(host, name);
  host.readFile = (name) => files.get(name) ?? readFile.call(host, name);
  host.getSourceFile = (name, language, ...rest) => {
    const text = files.get(name);
    return text === undefined
      ? getSourceFile.call(host, name, language, ...rest)
      : ts.createSourceFile(name, text, language);
  };
  const program = ts.createProgram([...files.keys()], options, host);
  const errors = new Map<string, string[]>();
  for (const name of files.keys()) {
    const found = ts.getPreEmitDiagnostics(program, program.getSourceFile(name)).map((d) => {
      const at = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : 0;
      return `block line ${at}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
    errors.set(name, found);
  }
  return errors;
}

describe('TypeScript blocks in the README and docs/', () => {
  it('every ts block type-checks, runs, or says why it does not', () => {
    const unmarked = tsBlocks
      .filter((block) => !checked.includes(block) && !/^no-check: \S/.test(block.mode))
      .map((block) => `${block.page}:${block.line} \`\`\`${block.lang} ${block.mode}`);
    expect(unmarked).toEqual([]);
    expect(checked.length).toBeGreaterThan(5);
  });

  let errors = new Map<string, string[]>();
  beforeAll(() => {
    errors = typeCheck(checked);
  }, 120_000);

  for (const block of checked) {
    it(`${block.page}:${block.line} type-checks under strict and exactOptionalPropertyTypes`, () => {
      expect(errors.get(virtualPath(block))).toEqual([]);
    });
  }

  for (const block of runnable) {
    it(`${block.page}:${block.line} runs`, async () => {
      // A real file, since the block is imported as a module; removed whatever happens.
      const file = join(repoRoot, 'test', 'docs', `.run-${blockName(block)}.ts`);
      writeFileSync(file, block.code);
      try {
        await import(pathToFileURL(file).href);
      } finally {
        rmSync(file, { force: true });
      }
    }, 30_000);
  }
});
