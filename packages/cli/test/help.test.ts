import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram, EXIT_CODES, runCli } from '../src/index.js';
import { capturedIo } from './support/captured-io.js';
import { workDir } from './support/cli-process.js';

const README = new URL('../README.md', import.meta.url);

/** Every command path of the tree, e.g. ['server', 'create'], without commander's implicit `help`. */
function commandPaths(command: Command, prefix: string[] = []): string[][] {
  return command.commands
    .filter((sub) => sub.name() !== 'help')
    .flatMap((sub) => {
      const path = [...prefix, sub.name()];
      return sub.commands.length > 0 ? commandPaths(sub, path) : [path];
    });
}

function commandAt(root: Command, path: readonly string[]): Command {
  let current = root;
  for (const name of path) {
    const next = current.commands.find((c) => c.name() === name);
    if (!next) throw new Error(`no command ${path.join(' ')}`);
    current = next;
  }
  return current;
}

async function helpOf(path: readonly string[]): Promise<string> {
  const io = capturedIo();
  expect(await runCli([...path, '--help'], io)).toBe(0);
  return io.out();
}

/** The README's `<!-- help: hybrid-broker ... -->` blocks by command path. */
async function readmeHelpBlocks(): Promise<Map<string, string>> {
  const text = await readFile(README, 'utf8');
  const blocks = new Map<string, string>();
  for (const match of text.matchAll(/<!-- help: hybrid-broker([a-z -]*?) -->\n```text\n([\s\S]*?)```/g)) {
    blocks.set((match[1] ?? '').trim(), match[2] ?? '');
  }
  return blocks;
}

describe('help texts cannot drift from the code', () => {
  const program = buildProgram(capturedIo());
  const leaves = commandPaths(program);

  it('has the commands the issue asks for', () => {
    expect(leaves.map((p) => p.join(' ')).sort()).toEqual([
      'flavor list',
      'image list',
      'platforms',
      'regions',
      'server create',
      'server delete',
      'server get',
      'server list',
      'server reboot',
      'server start',
      'server stop',
      'server tag',
      'snapshot create',
      'snapshot delete',
      'snapshot get',
      'snapshot list',
      'volume attach',
      'volume create',
      'volume delete',
      'volume detach',
      'volume get',
      'volume list',
      'volume move',
      'volume tag',
      'watch',
    ]);
  });

  it('documents the root and every command in the README with exactly its --help output', async () => {
    const blocks = await readmeHelpBlocks();
    expect([...blocks.keys()].sort()).toEqual(['', ...leaves.map((p) => p.join(' '))].sort());
    for (const [path, documented] of blocks) {
      expect(await helpOf(path === '' ? [] : path.split(' ')), `README block of "${path}"`).toBe(documented);
    }
  });

  it('lists every option and argument of a command in its --help', async () => {
    for (const path of [[], ...leaves]) {
      const command = commandAt(program, path);
      const help = await helpOf(path);
      for (const option of command.options) expect(help, path.join(' ')).toContain(option.flags);
      for (const argument of command.registeredArguments) expect(help).toContain(argument.name());
    }
  });

  it('ends the root help with the exit-code table, one line per exit code', async () => {
    const help = await helpOf([]);
    for (const [code, exit] of Object.entries(EXIT_CODES)) {
      expect(help).toMatch(new RegExp(`^\\s+${exit}\\s+.*\\b${code}\\b`, 'm'));
    }
    expect(help).toContain('HYBRID_BROKER_CONFIG');
  });

  it("keeps the README's exit-code table equal to EXIT_CODES", async () => {
    const text = await readFile(README, 'utf8');
    const rows = [...text.matchAll(/^\|\s*(\d+)\s*\|\s*([a-z, -]+?)(?:\s*\(.*\))?\s*\|$/gm)];
    const documented: Record<string, number> = {};
    for (const [, exit, codes] of rows) {
      for (const code of (codes ?? '').split(', ')) if (code !== 'success') documented[code] = Number(exit);
    }
    expect(documented).toEqual(EXIT_CODES);
  });

  it("accepts the README's config example as it is (with its ${OS_PASSWORD} set)", async () => {
    const text = await readFile(README, 'utf8');
    const examples = [...text.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
    expect(examples).toHaveLength(1);
    const dir = await workDir({});
    try {
      await writeFile(join(dir.path, 'example.yaml'), examples[0] ?? '', 'utf8');
      const io = capturedIo({ cwd: dir.path, env: { OS_PASSWORD: 'not-used' } });
      expect(await runCli(['--json', '-c', 'example.yaml', 'platforms'], io), io.err()).toBe(0);
      expect(JSON.parse(io.out())).toEqual([
        { name: 'lab', driver: 'memory' },
        { name: 'cloud-a', driver: 'openstack' },
      ]);
    } finally {
      await dir.remove();
    }
  });
});
