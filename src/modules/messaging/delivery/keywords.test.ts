import { describe, expect, it } from 'vitest';
import { foldReply, parseKeyword, parseMemberNumber } from './keywords.js';
import { askMemberText } from './reply-texts.js';
import {
  twilioSignature,
  verifyTwilioSignature,
  verifyWebhookSignature,
  webhookSignature,
} from './signatures.js';

describe('reply keywords', () => {
  it.each([
    ['SAFE', 'safe'],
    ['  safe. ', 'safe'],
    ['Sûr', 'safe'],
    ['SUR', 'safe'],
    ['En Sécurité', 'safe'],
    ['EN SECURITE', 'safe'],
    ['آمن', 'safe'],
    ['امن', 'safe'],
    ['أنا بخير', 'safe'],
    ['بخير', 'safe'],
    ['leave', 'leave'],
    ['PARTIR', 'leave'],
    ['مغادرة', 'leave'],
    ['مغادره', 'leave'],
    ['أريد المغادرة', 'leave'],
    ['ﺃﺭﻳﺪ ﺍﻟﻤﻐﺎﺩﺭﺓ', 'leave'],
    ['stay', 'stay'],
    ['Rester', 'stay'],
    ['البقاء', 'stay'],
    ['HELP', 'help'],
    ['help: my son needs insulin', 'help'],
    ['Aide', 'help'],
    ['مساعدة', 'help'],
    ['yes', 'yes'],
    ['OUI', 'yes'],
    ['نعم', 'yes'],
    ['sur la route de Rafah', null],
    ['I am not safe', null],
    ['leave me alone please', null],
    ['', null],
  ])('%s → %s', (text, keyword) => {
    expect(parseKeyword(text)).toBe(keyword);
  });

  it('folds Arabic vowel marks and tatweel, and reads Arabic-Indic digits', () => {
    expect(foldReply('آمَـــن')).toBe('امن');
    expect(parseMemberNumber('٣')).toBe(3);
    expect(parseMemberNumber('۲')).toBe(2);
    expect(parseMemberNumber(' 2 ')).toBe(2);
    expect(parseMemberNumber('2 people')).toBeNull();
  });

  it('words the member question with given names only, in each language', () => {
    expect(askMemberText('en', ['Samir', 'Layla', 'Yousef'])).toBe(
      'This phone is registered for several people. Who is answering? Reply 1 for Samir, 2 for Layla or 3 for Yousef.',
    );
    expect(askMemberText('fr', ['Samir', 'Layla'])).toContain('Répondez 1 pour Samir ou 2 pour Layla.');
    expect(askMemberText('ar', ['سمير', 'ليلى'])).toContain('1 لـ سمير أو 2 لـ ليلى');
  });
});

describe('webhook signatures', () => {
  it('verifies Twilio’s documented example (HMAC-SHA1 over URL + sorted fields)', () => {
    const params = new URLSearchParams({
      CallSid: 'CA1234567890ABCDE',
      Caller: '+12349013030',
      Digits: '1234',
      From: '+12349013030',
      To: '+18005551212',
    });
    const url = 'https://mycompany.com/myapp.php?foo=1&bar=2';
    expect(twilioSignature('12345', url, params)).toBe('0/KCTR6DLpKmkAf8muzZqo1nDgQ=');
    expect(verifyTwilioSignature('12345', '0/KCTR6DLpKmkAf8muzZqo1nDgQ=', url, params)).toBe(true);
    params.set('Digits', '1235');
    expect(verifyTwilioSignature('12345', '0/KCTR6DLpKmkAf8muzZqo1nDgQ=', url, params)).toBe(false);
  });

  it('verifies the generic gateway’s HMAC-SHA256 over timestamp and raw body, refusing replays', () => {
    const now = Date.now();
    const ts = String(Math.floor(now / 1000));
    const body = '{"id":"m1","status":"delivered"}';
    const signature = webhookSignature('s3cret', ts, body);
    expect(signature).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature('s3cret', { signature, timestamp: ts }, body, now)).toBe(true);
    expect(verifyWebhookSignature('s3cret', { signature, timestamp: ts }, `${body} `, now)).toBe(false);
    expect(verifyWebhookSignature('other', { signature, timestamp: ts }, body, now)).toBe(false);
    expect(verifyWebhookSignature('s3cret', { signature, timestamp: ts }, body, now + 301_000)).toBe(false);
    expect(verifyWebhookSignature('s3cret', { signature: undefined, timestamp: ts }, body, now)).toBe(false);
  });
});
