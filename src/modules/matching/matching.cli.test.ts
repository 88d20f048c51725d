import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
const fixtures = join(root, 'test/fixtures/matching');
const cli = join(root, 'src/entrypoints/cli.ts');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real CLI as a separate process, as an operator would. */
function corridor(...args: string[]): Promise<Run> {
  return new Promise((done) => {
    execFile(process.execPath, ['--import', 'tsx', cli, ...args], { cwd: root }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
      done({ code, stdout, stderr });
    });
  });
}

const workDir = (): string => mkdtempSync(join(tmpdir(), 'corridor-match-'));
const rows = (path: string): string[][] =>
  readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .map((line) => line.split(','));

describe.concurrent('corridor match / dedupe (spawned CLI)', () => {
  it('matches a list across scripts and spellings, best first, and leaves out rows with no candidate', async () => {
    const out = join(workDir(), 'matches.csv');
    const run = await corridor(
      'match',
      '--registry',
      join(fixtures, 'registry.csv'),
      '--list',
      join(fixtures, 'list.csv'),
      '--out',
      out,
    );
    expect(run.code, run.stderr).toBe(0);
    const table = rows(out);
    expect(table[0]).toEqual(['list_id', 'registry_id', 'score', 'decision']);
    const l1 = table.filter((row) => row[0] === 'L1');
    const l2 = table.filter((row) => row[0] === 'L2');
    expect(l1[0]?.slice(0, 2)).toEqual(['L1', 'R1']);
    expect(l1[0]?.[3]).toBe('match');
    expect(l2[0]?.slice(0, 2)).toEqual(['L2', 'R2']);
    expect(l2[0]?.[3]).toBe('match');
    expect(table.some((row) => row[0] === 'L3')).toBe(false);
    for (const row of table.slice(1)) expect(['match', 'review']).toContain(row[3]);
    // Not a terminal: no progress bar, just the one-line summary.
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^match: 3 list rows against 5 registrations/);
  });

  it('takes --threshold: above every score, candidates stay in review', async () => {
    const out = join(workDir(), 'matches.csv');
    const run = await corridor(
      'match',
      '--registry',
      join(fixtures, 'registry.csv'),
      '--list',
      join(fixtures, 'list.csv'),
      '--out',
      out,
      '--threshold',
      '500',
    );
    expect(run.code, run.stderr).toBe(0);
    const decisions = rows(out)
      .slice(1)
      .map((row) => row[3]);
    expect(decisions.length).toBeGreaterThan(0);
    expect(new Set(decisions)).toEqual(new Set(['review']));
  });

  it('dedupes into clusters without chaining across a passport conflict', async () => {
    const out = join(workDir(), 'clusters.csv');
    const run = await corridor('dedupe', '--input', join(fixtures, 'people.csv'), '--out', out);
    expect(run.code, run.stderr).toBe(0);
    const cluster = new Map(
      rows(out)
        .slice(1)
        .map(([id, clusterId]) => [id, clusterId]),
    );
    expect(cluster.get('P2')).toBe(cluster.get('P1'));
    expect(cluster.get('P3')).toBe(cluster.get('P1'));
    expect(cluster.get('P4')).not.toBe(cluster.get('P1'));
    expect(cluster.get('P5')).not.toBe(cluster.get('P7'));
    expect(run.stderr).toMatch(/^dedupe: 7 records in \d+ clusters/);
  });

  const badInputs: Array<[file: string, message: RegExp]> = [
    ['malformed.csv', /malformed\.csv, line \d+: malformed CSV/],
    [
      'missing-column.csv',
      /missing-column\.csv, line 1, column full_name: required column "full_name" is missing/,
    ],
    ['duplicate-id.csv', /duplicate-id\.csv, line 4, column id: duplicate id "A1" \(first on line 2\)/],
    ['empty-name.csv', /empty-name\.csv, line 3, column full_name: empty name/],
    ['invalid-utf8.csv', /invalid-utf8\.csv, line 3: invalid UTF-8/],
    ['utf16.csv', /utf16\.csv: the file is UTF-16/],
  ];
  for (const [file, message] of badInputs) {
    it(`rejects ${file} with a located error, a non-zero exit and no output file`, async () => {
      const dir = workDir();
      const out = join(dir, 'clusters.csv');
      const run = await corridor('dedupe', '--input', join(fixtures, file), '--out', out);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(existsSync(out)).toBe(false);
      expect(readdirSync(dir)).toEqual([]);
    });
  }

  it('rejects a 10-MB cell without reading it as a name', async () => {
    const dir = workDir();
    const input = join(dir, 'huge.csv');
    writeFileSync(input, `id,full_name\nA1,Mohammed Nassar\nA2,"${'x'.repeat(10 * 1024 * 1024)}"\n`);
    const out = join(dir, 'matches.csv');
    const run = await corridor(
      'match',
      '--registry',
      input,
      '--list',
      join(fixtures, 'list.csv'),
      '--out',
      out,
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/huge\.csv, line 3: malformed CSV: a row is far too large/);
    expect(existsSync(out)).toBe(false);
  });
});
