// Rewrites each `<!-- help: <command> -->` block of packages/cli/README.md with
// the built CLI's `--help` output, after a change to commands or options:
//   pnpm exec tsc -b packages/cli && node packages/cli/scripts/update-readme-help.mjs
// test/help.test.ts fails until the README matches the code again.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const readmePath = fileURLToPath(new URL('../README.md', import.meta.url));
const block = /<!-- help: (hybrid-broker[a-z -]*?) -->\n```text\n[\s\S]*?```/g;
const readme = readFileSync(readmePath, 'utf8').replace(block, (_, command) => {
  const args = [...command.split(' ').slice(1), '--help'];
  const help = execFileSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
  return `<!-- help: ${command} -->\n\`\`\`text\n${help}\`\`\``;
});
writeFileSync(readmePath, readme);
