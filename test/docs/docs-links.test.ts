// Every relative link of the README and docs/ leads somewhere: the file exists, and a `#part`
// names a heading of that page (GitHub's anchors: lower case, punctuation dropped, spaces to `-`).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';
import { docPages, repoRoot } from './code-blocks.js';

/** The anchors GitHub gives a Markdown page's headings (duplicates get no suffix here). */
function anchorsOf(page: string): Set<string> {
  const text = readFileSync(join(repoRoot, page), 'utf8').replace(/^```[\s\S]*?^```/gm, '');
  const headings = [...text.matchAll(/^#{1,6} (.+)$/gm)].map((m) => m[1] ?? '');
  return new Set(
    headings.map((h) =>
      h
        .toLowerCase()
        .replace(/[^\p{L}\p{N} _-]/gu, '')
        .replace(/ /g, '-'),
    ),
  );
}

/** The relative links of a page outside code: `[text](target)`. */
function linksOf(page: string): string[] {
  const text = readFileSync(join(repoRoot, page), 'utf8')
    .replace(/^```[\s\S]*?^```/gm, '')
    .replace(/`[^`\n]*`/g, '');
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((m) => m[1] ?? '')
    .filter((target) => !/^[a-z]+:/.test(target));
}

describe('links in the README and docs/', () => {
  for (const page of docPages()) {
    it(`${page}: every relative link resolves`, () => {
      const broken = linksOf(page).filter((target) => {
        const [path = '', anchor] = target.split('#');
        const file = path === '' ? page : normalize(join(dirname(page), path));
        if (!existsSync(join(repoRoot, file))) return true;
        return anchor !== undefined && file.endsWith('.md') && !anchorsOf(file).has(anchor);
      });
      expect(broken).toEqual([]);
    });
  }
});
