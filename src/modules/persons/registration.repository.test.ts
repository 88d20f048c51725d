import { describe, expect, it } from 'vitest';
import { valuesInOrder } from './registration.repository.js';

describe('valuesInOrder (the SQLite intake binds row values by position)', () => {
  const columns = ['id', 'name', 'zone', 'place'];

  it('takes the values as they are when the row has the columns in order', () => {
    expect(valuesInOrder({ id: 'a', name: 'n', zone: 'z', place: 'p' }, columns)).toEqual([
      'a',
      'n',
      'z',
      'p',
    ]);
  });

  it('binds undefined as null', () => {
    expect(valuesInOrder({ id: 'a', name: undefined, zone: 'z', place: null }, columns)).toEqual([
      'a',
      null,
      'z',
      null,
    ]);
  });

  it('looks each column up when the keys come in another order, or some are missing', () => {
    expect(valuesInOrder({ zone: 'z', id: 'a', place: 'p', name: 'n' }, columns)).toEqual([
      'a',
      'n',
      'z',
      'p',
    ]);
    expect(valuesInOrder({ id: 'a', zone: 'z' }, columns)).toEqual(['a', null, 'z', null]);
  });
});
