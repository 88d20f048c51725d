import { describe, expect, it } from 'vitest';
import type { BandKey, PublishableTables } from '../disclosure/types.js';
import { HXL_COLUMNS, HXL_HASHTAG_SPEC, hxlRows, parseHxl, renderHxl } from './hxl.js';

const pub = (value: number, band: BandKey | null) =>
  ({ status: 'published', value, band, style: 'rounded', low: value - 2, high: value + 2 }) as const;
const hidden = { status: 'suppressed', reason: 'small' } as const;

/** Two published tables as the disclosure module hands them out (synthetic figures). */
const TABLES: PublishableTables = {
  crisisId: 'c1',
  computedAt: '2023-11-02T05:00:00.000Z',
  day: '2023-11-02',
  rules: { minCount: 10, roundingBase: 5, bands: [{ key: 'dozens', from: 12 }], restricted: 'exclude' },
  tables: [
    {
      id: 'total',
      rowDimension: null,
      columnDimension: null,
      style: 'rounded',
      rows: [],
      columns: [],
      cells: [[pub(600, 'hundreds')]],
      rowTotals: null,
      columnTotals: null,
      grandTotal: pub(600, 'hundreds'),
    },
    {
      id: 'zone_intention',
      rowDimension: 'zone',
      columnDimension: 'intention',
      style: 'rounded',
      rows: [
        { key: 'KHAN-YOUNIS', label: 'Khan Younis' },
        { key: 'RAFAH', label: 'Rafah, "south"' },
      ],
      columns: [
        { key: 'leave', label: 'leave' },
        { key: 'stay', label: 'stay' },
      ],
      cells: [
        [pub(400, 'hundreds'), hidden],
        [pub(150, 'hundreds'), hidden],
      ],
      rowTotals: [pub(410, 'hundreds'), pub(190, 'hundreds')],
      columnTotals: [pub(550, 'hundreds'), pub(50, 'dozens')],
      grandTotal: pub(600, 'hundreds'),
    },
    {
      id: 'status',
      rowDimension: 'status',
      columnDimension: null,
      style: 'band',
      rows: [{ key: 'verified', label: 'verified' }],
      columns: [{ key: 'count', label: 'count' }],
      cells: [[{ ...pub(300, 'hundreds'), style: 'band' }]],
      rowTotals: null,
      columnTotals: null,
      grandTotal: { ...pub(300, 'hundreds'), style: 'band' },
    },
  ],
};

describe('HXL aggregate packages', () => {
  it('tags every column on the second row with a valid hashtag and reads back with the parser', () => {
    const body = renderHxl(hxlRows(TABLES, 'Synthetic crisis', ['total', 'zone_intention', 'status']));
    const lines = body.toString('utf8').split('\r\n');
    expect(lines[0]).toBe(HXL_COLUMNS.map(([h]) => h).join(','));
    expect(lines[1]).toBe(HXL_COLUMNS.map(([, t]) => t).join(','));
    const parsed = parseHxl(body);
    expect(parsed.headers).toEqual(HXL_COLUMNS.map(([h]) => h));
    expect(parsed.tags).toHaveLength(HXL_COLUMNS.length);
    for (const tag of parsed.tags) expect(tag).toMatch(HXL_HASHTAG_SPEC);
    expect(parsed.tags).toContain('#adm1+name');
    expect(parsed.tags).toContain('#affected+ind+total');
    // total (1) + 2×2 cells + 2 row totals + 2 column totals + total (1) + one band row (1) + its total (1)
    expect(parsed.rows).toHaveLength(1 + 4 + 2 + 2 + 1 + 1 + 1);
    const col = (tag: string) => parsed.tags.indexOf(tag);
    const rafahLeave = parsed.rows.find(
      (r) => r[col('#adm1+name')] === 'Rafah, "south"' && r[col('#indicator+category')] === 'leave',
    )!;
    expect(rafahLeave[col('#affected+ind+total')]).toBe('150');
    expect(rafahLeave[col('#date+reported')]).toBe('2023-11-02');
  });

  it('writes no value and no reason for a suppressed figure, and only words for band tables', () => {
    const parsed = parseHxl(renderHxl(hxlRows(TABLES, 'Synthetic crisis', ['zone_intention', 'status'])));
    const col = (tag: string) => parsed.tags.indexOf(tag);
    const suppressed = parsed.rows.filter((r) => r[col('#meta+status')] === 'suppressed');
    expect(suppressed).toHaveLength(2);
    for (const r of suppressed) {
      expect(r[col('#affected+ind+total')]).toBe('');
      expect(r.join(',')).not.toContain('small');
    }
    const band = parsed.rows.filter((r) => r[col('#meta+table')] === 'status');
    expect(band.length).toBeGreaterThan(0);
    for (const r of band) {
      expect(r[col('#affected+ind+total')]).toBe('');
      expect(r[col('#meta+band')]).toBe('hundreds');
    }
    // Tables not chosen in the profile are not sent.
    expect(parsed.rows.some((r) => r[col('#meta+table')] === 'total')).toBe(false);
  });

  it('refuses files a HXL tool would not read as fully tagged', () => {
    expect(() => parseHxl('Zone,People\r\n#adm1+name,\r\nRafah,10\r\n')).toThrow(/without a hashtag/);
    expect(() => parseHxl('Zone,People\r\nRafah,10\r\n')).toThrow(/No HXL hashtag row/);
    // "#1st" is not a hashtag (must start with a letter), "#x+" has an empty attribute.
    expect(() => parseHxl('A,B\r\n#1st,#x+\r\n1,2\r\n')).toThrow(/No HXL hashtag row/);
    expect(() => parseHxl('A,B\r\n#adm1+name,#affected+ind\r\n1\r\n')).toThrow(/Data row 1/);
    expect(parseHxl('A,B\r\n#adm1 +name,#affected+ind\r\n1,2\r\n').tags).toEqual([
      '#adm1 +name',
      '#affected+ind',
    ]);
    for (const bad of ['#', '#a-b', 'adm1', '#adm1+', '#adm1++x', '#adm1+na me'])
      expect(bad).not.toMatch(HXL_HASHTAG_SPEC);
  });
});
