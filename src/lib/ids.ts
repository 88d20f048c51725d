import { createHash, randomBytes, randomUUID } from 'node:crypto';

/** Opaque record identifier. */
export const newId = (): string => randomUUID();

/** A 128-bit (or longer) secret for links and sessions, URL-safe. */
export const newSecret = (bytes = 16): string => randomBytes(bytes).toString('base64url');

/** Secrets are stored only as their SHA-256, so a database leak does not leak live links. */
export const hashSecret = (secret: string): string => createHash('sha256').update(secret).digest('hex');
