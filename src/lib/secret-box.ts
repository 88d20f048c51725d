import { createCipheriv, createDecipheriv, createHash, hkdfSync } from 'node:crypto';
import { randomView } from './random-pool.js';

/**
 * AES-256-GCM encryption of small secrets at rest (TOTP seeds, restricted-case fields). Each
 * purpose derives its own key from the master key, so one leaked derived key does not open the
 * others. Sealed values name the key they were sealed with (`v2.<key id>.<iv>.<tag>.<data>`),
 * so after a master-key change the old key can stay readable (previous keys) until every value
 * has been sealed again (`corridor keys rotate`).
 */
export class SecretBox {
  private readonly keys: { id: string; key: Buffer }[];

  constructor(masterKey: Buffer, purpose: string, previousMasterKeys: readonly Buffer[] = []) {
    this.keys = [masterKey, ...previousMasterKeys].map((master) => {
      if (master.length !== 32) throw new Error('A master key must be 32 bytes.');
      const key = Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), `corridor:${purpose}`, 32));
      return { id: createHash('sha256').update(key).digest('hex').slice(0, 8), key };
    });
  }

  /** The id of the key new values are sealed with. */
  get currentKeyId(): string {
    return this.keys[0]!.id;
  }

  seal(plaintext: string): string {
    const { id, key } = this.keys[0]!;
    // A fresh random 96-bit nonce per value (used at once: the cipher copies it, and so does the output).
    const iv = randomView(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [
      'v2',
      id,
      iv.toString('base64url'),
      cipher.getAuthTag().toString('base64url'),
      body.toString('base64url'),
    ].join('.');
  }

  open(sealed: string): string {
    const parts = sealed.split('.');
    // v1 values (no key id) were sealed before key rotation existed: try each key.
    const [version] = parts;
    const [kid, iv, tag, body] =
      version === 'v2' ? parts.slice(1) : version === 'v1' ? [undefined, ...parts.slice(1)] : [];
    if (!iv || !tag || body === undefined) throw new Error('Unrecognised sealed value.');
    const candidates = kid ? this.keys.filter((k) => k.id === kid) : this.keys;
    if (candidates.length === 0)
      throw new Error(`Sealed with an unknown key (${kid}); set SECRET_KEY_PREVIOUS.`);
    let lastError: unknown;
    for (const { key } of candidates) {
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString(
          'utf8',
        );
      } catch (error) {
        lastError = error;
      }
    }
    throw lastError instanceof Error ? lastError : new Error('Could not open the sealed value.');
  }

  /** True when the value is not sealed with the current key (rotation must seal it again). */
  needsResealing(sealed: string): boolean {
    return !sealed.startsWith(`v2.${this.currentKeyId}.`);
  }

  /** Opens with any known key and seals with the current one. */
  reseal(sealed: string): string {
    return this.seal(this.open(sealed));
  }
}
