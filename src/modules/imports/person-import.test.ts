import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCrisis } from '../../../test/fixtures/persons/seed.js';
import { runCli } from '../../../test/helpers/cli.js';
import { createTestContext, DIALECTS, testEnv } from '../../../test/helpers/context.js';
import { systemActor } from '../../access/actor.js';
import type { AppContext } from '../../app-context.js';
import { importPersons } from './person-import.service.js';

const fixture = join(
  import.meta.dirname,
  '..',
  '..',
  '..',
  'test',
  'fixtures',
  'persons',
  'partner-list.csv',
);
const csv = readFileSync(fixture);
const actor = systemActor('test import');

for (const dialect of DIALECTS) {
  describe(`person import (${dialect})`, () => {
    let ctx: AppContext;
    let close: () => Promise<void>;
    let crisisId: string;

    beforeAll(async () => {
      ({ ctx, close } = await createTestContext(dialect));
      crisisId = (await seedCrisis(ctx)).crisis.id;
    });
    afterAll(async () => close());

    const count = async () =>
      Number(
        (
          await ctx.db.db
            .selectFrom('persons')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('crisis_id', '=', crisisId)
            .executeTakeFirstOrThrow()
        ).n,
      );

    it('reports every bad row by row and column on a dry run, and writes nothing', async () => {
      const report = await importPersons(ctx, actor, crisisId, {
        fileName: 'partner-list.csv',
        data: csv,
        dryRun: true,
      });
      expect(report).toMatchObject({ rows: 7, households: 5, valid: 2, imported: 0, dryRun: true });
      expect(report.errors).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ row: 5, column: 'Date of birth' }),
          expect.objectContaining({ row: 6, column: 'Area' }),
          expect.objectContaining({ row: 7, column: 'Mobile' }),
        ]),
      );
      expect(await count()).toBe(0);
    });

    it('imports the good households whole and never half-writes a bad one', async () => {
      const report = await importPersons(ctx, actor, crisisId, {
        fileName: 'partner-list.csv',
        data: csv,
        dryRun: false,
      });
      expect(report).toMatchObject({ imported: 2, persons: 4 });
      expect(await count()).toBe(4);
      const f1 = await ctx.db.db
        .selectFrom('persons')
        .selectAll()
        .where('crisis_id', '=', crisisId)
        .where('family_name', '=', 'Testawi')
        .execute();
      expect(f1).toHaveLength(3);
      expect(new Set(f1.map((p) => p.household_id)).size).toBe(1);
      expect(f1.find((p) => p.relationship === 'child')?.eligibility_reason).toBe(
        'immediate_family_of_citizen',
      );
      expect(f1.every((p) => p.channel === 'import')).toBe(true);
      // Row 5 was the only row of household F2: nothing of it was written.
      expect(
        await ctx.db.db.selectFrom('persons').select('id').where('family_name', '=', 'Exampli').execute(),
      ).toHaveLength(0);
    });

    it('reads XLSX and takes column mappings', async () => {
      const workbook = new ExcelJS.Workbook();
      const sheet = workbook.addWorksheet('List');
      sheet.addRow(['Nom complet', 'Né le', 'Téléphone']);
      sheet.addRow(['Samia Exemple', '1991', '+970599000010']);
      sheet.addRow(['Hadi Exemple', '1993-04-05', '+970599000011']);
      const data = new Uint8Array(await workbook.xlsx.writeBuffer());
      const report = await importPersons(ctx, actor, crisisId, {
        fileName: 'list.xlsx',
        data,
        dryRun: false,
        map: { 'Nom complet': 'full_name', 'Né le': 'birth_date', Téléphone: 'phone' },
      });
      expect(report).toMatchObject({ rows: 2, imported: 2, errors: [] });
      await expect(
        importPersons(ctx, actor, crisisId, {
          fileName: 'list.xlsx',
          data,
          dryRun: true,
          map: { Nope: 'full_name' },
        }),
      ).rejects.toMatchObject({ code: 'validation_failed' });
    });
  });
}

describe('corridor import persons (CLI)', () => {
  it('dry-runs, then imports, naming the bad rows and exiting 2', async () => {
    const env = await testEnv('sqlite');
    try {
      const { createAppContext } = await import('../../app-context.js');
      const { loadConfig } = await import('../../config.js');
      const { createLogger } = await import('../../lib/logger.js');
      const ctx = await createAppContext(loadConfig(env.env), createLogger('silent'));
      await seedCrisis(ctx);
      await ctx.db.close();
      const file = join(env.dataDir, 'list.csv');
      writeFileSync(file, csv);
      const dry = await runCli(['import', 'persons', file, '--dry-run'], env.env);
      expect(dry.code).toBe(2);
      expect(dry.stdout).toContain('row 5, column "Date of birth"');
      expect(dry.stdout).toContain('Dry run: 7 rows, 5 households; would import 2 households');
      const real = await runCli(['import', 'persons', file, '--map', 'Mobile=phone'], env.env);
      expect(real.stdout).toContain('imported 2 households (4 persons)');
      const bad = await runCli(['import', 'persons', file, '--map', 'Mobile=shoe_size'], env.env);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toContain('unknown field');
    } finally {
      await env.cleanup();
    }
  });
});
