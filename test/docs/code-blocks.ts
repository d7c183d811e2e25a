// The fenced code blocks of the README and of every page under docs/, read once for the docs tests.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root folder. */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** One fenced block: where it is, its info string's words, and its text. */
export interface CodeBlock {
  /** The page, relative to the repository root, e.g. `docs/errors.md`. */
  readonly page: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  /** The language, e.g. `ts`, `yaml`, `sh`. */
  readonly lang: string;
  /** The rest of the info string, e.g. `run` or `no-check: a fragment`. */
  readonly mode: string;
  readonly code: string;
}

/** README.md and every Markdown page under docs/, except TypeDoc's generated docs/api. */
export function docPages(): string[] {
  const pages = ['README.md'];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(join(repoRoot, dir), { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory() && path !== join('docs', 'api')) walk(path);
      else if (entry.isFile() && entry.name.endsWith('.md')) pages.push(path);
    }
  };
  walk('docs');
  return pages.sort();
}

/** Every fenced block of one page. Fences are three backticks at the start of a line. */
export function codeBlocks(page: string): CodeBlock[] {
  const lines = readFileSync(join(repoRoot, page), 'utf8').split('\n');
  const blocks: CodeBlock[] = [];
  let open: { line: number; lang: string; mode: string; body: string[] } | undefined;
  for (const [index, text] of lines.entries()) {
    if (open === undefined) {
      const fence = /^```(\S*)\s*(.*)$/.exec(text);
      if (fence) open = { line: index + 1, lang: fence[1] ?? '', mode: (fence[2] ?? '').trim(), body: [] };
    } else if (text.startsWith('```')) {
      const { body, ...rest } = open;
      blocks.push({ page: relative(repoRoot, join(repoRoot, page)), ...rest, code: `${body.join('\n')}\n` });
      open = undefined;
    } else {
      open.body.push(text);
    }
  }
  return blocks;
}

/** Every block of every page. */
export function allCodeBlocks(): CodeBlock[] {
  return docPages().flatMap(codeBlocks);
}

/** A short name for a block in test titles and virtual file names. */
export function blockName(block: CodeBlock): string {
  return `${block.page.replace(/[/.]/g, '-')}-line-${block.line}`;
}
