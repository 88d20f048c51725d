import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SecretBox } from './secret-box.js';

describe('SecretBox', () => {
  it('round-trips any text and never repeats a ciphertext', () => {
    const box = new SecretBox(randomBytes(32), 'test');
    fc.assert(
      fc.property(fc.string(), (text) => {
        const a = box.seal(text);
        expect(box.open(a)).toBe(text);
        expect(box.seal(text)).not.toBe(a);
      }),
    );
  });

  it('refuses a tampered value and keeps purposes apart', () => {
    const key = randomBytes(32);
    const sealed = new SecretBox(key, 'a').seal('secret');
    const tampered = `${sealed.slice(0, -2)}${sealed.endsWith('A') ? 'B' : 'A'}A`;
    expect(() => new SecretBox(key, 'a').open(tampered)).toThrow();
    expect(() => new SecretBox(key, 'b').open(sealed)).toThrow(/unknown key/);
  });

  it('reads values sealed under the previous key after rotation and seals them again under the new one', () => {
    const oldKey = randomBytes(32);
    const newKey = randomBytes(32);
    const sealed = new SecretBox(oldKey, 'p').seal('hostage file');
    expect(() => new SecretBox(newKey, 'p').open(sealed)).toThrow(/SECRET_KEY_PREVIOUS/);
    const rotating = new SecretBox(newKey, 'p', [oldKey]);
    expect(rotating.needsResealing(sealed)).toBe(true);
    const resealed = rotating.reseal(sealed);
    expect(rotating.needsResealing(resealed)).toBe(false);
    expect(new SecretBox(newKey, 'p').open(resealed)).toBe('hostage file');
  });
});
