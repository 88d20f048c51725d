import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { newSecret } from '../lib/ids.js';
import type { PortalLang } from './i18n.js';

export const STEPS = ['notice', 'who', 'members', 'contacts', 'location', 'review'] as const;
export type Step = (typeof STEPS)[number];

export interface DraftMember {
  relationship: string;
  given: string;
  father: string;
  grandfather: string;
  family: string;
  nameArabic: string;
  sex: string;
  birthDate: string;
  category: string;
  passport: string;
  vulnerabilities: string[];
}

/**
 * Everything typed so far, carried from page to page in a signed hidden field: nothing is kept
 * on the server until the registration is sent, and nothing typed is lost when a page is shown
 * again with errors. `id` doubles as the Idempotency-Key, so sending twice registers once.
 */
export interface Draft {
  v: 1;
  id: string;
  csrf: string;
  crisis: string;
  lang: PortalLang;
  step: Step;
  expires: number;
  accepted: boolean;
  registeredBy: 'self' | 'relative' | '';
  registrant: { name: string; relationship: string; phone: string; email: string };
  members: DraftMember[];
  /** Members shown as full forms; the others are one-line summaries (keeps pages small). */
  open?: number[];
  contacts: { phone: string; whatsapp: boolean; email: string };
  location: { zone: string; place: string };
  intention: string;
}

export const emptyMember = (relationship = 'head'): DraftMember => ({
  relationship,
  given: '',
  father: '',
  grandfather: '',
  family: '',
  nameArabic: '',
  sex: '',
  birthDate: '',
  category: '',
  passport: '',
  vulnerabilities: [],
});

const DRAFT_TTL_MS = 24 * 3600 * 1000;

export function newDraft(crisis: string, lang: PortalLang, csrf: string): Draft {
  return {
    v: 1,
    // Time first (base 36 milliseconds, 8 characters until 2059), then 128 random bits: as the
    // Idempotency-Key, drafts sent together land next to each other in the key's index (ADR 0007).
    id: `portal-${Date.now().toString(36)}-${newSecret(16)}`,
    csrf,
    crisis,
    lang,
    step: 'notice',
    expires: Date.now() + DRAFT_TTL_MS,
    accepted: false,
    registeredBy: '',
    registrant: { name: '', relationship: '', phone: '', email: '' },
    members: [emptyMember()],
    open: [0],
    contacts: { phone: '', whatsapp: false, email: '' },
    location: { zone: '', place: '' },
    intention: '',
  };
}

/** Signs and checks drafts with a key derived for this purpose only. */
export class DraftSigner {
  private readonly key: Buffer;

  constructor(masterKey: Buffer) {
    this.key = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'corridor:portal-draft', 32));
  }

  private mac(payload: string): string {
    return createHmac('sha256', this.key).update(payload).digest('base64url');
  }

  seal(draft: Draft): string {
    const payload = Buffer.from(JSON.stringify(draft)).toString('base64url');
    return `${payload}.${this.mac(payload)}`;
  }

  /** The draft, or undefined when it was altered, is not ours or has expired. */
  open(sealed: unknown): Draft | undefined {
    if (typeof sealed !== 'string' || sealed.length > 60_000) return undefined;
    const [payload, mac] = sealed.split('.');
    if (!payload || !mac) return undefined;
    const expected = Buffer.from(this.mac(payload));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
    try {
      const draft = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Draft;
      return draft.v === 1 && draft.expires > Date.now() ? draft : undefined;
    } catch {
      return undefined;
    }
  }
}
