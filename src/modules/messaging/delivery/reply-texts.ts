/** Confirmation replies in the person's language. Short enough for one SMS segment where possible. */
export type ReplyLanguage = 'en' | 'fr' | 'ar';
export type ReplyKind = 'safe' | 'leave' | 'stay' | 'help';

const TEXTS: Record<ReplyLanguage, Record<ReplyKind, string> & { ask: (list: string) => string }> = {
  en: {
    safe: 'Thank you. We have recorded that you are safe. Reply HELP if that changes.',
    leave: 'Thank you. We have recorded that you want to leave. We will send instructions.',
    stay: 'Thank you. We have recorded that you will stay. Reply LEAVE if that changes.',
    help: 'We have received your request for help. Our team will contact you.',
    ask: (list) => `This phone is registered for several people. Who is answering? Reply ${list}.`,
  },
  fr: {
    safe: 'Merci. Nous avons noté que vous êtes en sécurité. Répondez AIDE si cela change.',
    leave: 'Merci. Nous avons noté que vous voulez partir. Nous vous enverrons des instructions.',
    stay: 'Merci. Nous avons noté que vous restez. Répondez PARTIR si cela change.',
    help: "Nous avons reçu votre demande d'aide. Notre équipe vous contactera.",
    ask: (list) => `Ce téléphone est enregistré pour plusieurs personnes. Qui répond ? Répondez ${list}.`,
  },
  ar: {
    safe: 'شكراً. سجّلنا أنك بأمان. أرسل مساعدة إذا تغيّر ذلك.',
    leave: 'شكراً. سجّلنا أنك تريد المغادرة. سنرسل لك التعليمات.',
    stay: 'شكراً. سجّلنا أنك ستبقى. أرسل مغادرة إذا تغيّر ذلك.',
    help: 'تلقّينا طلبك للمساعدة. سيتصل بك فريقنا.',
    ask: (list) => `هذا الهاتف مسجّل لعدة أشخاص. من يجيب؟ أرسل ${list}.`,
  },
};

const OR: Record<ReplyLanguage, string> = { en: 'or', fr: 'ou', ar: 'أو' };
const FOR: Record<ReplyLanguage, string> = { en: 'for', fr: 'pour', ar: 'لـ' };

export const replyText = (language: ReplyLanguage, kind: ReplyKind): string => TEXTS[language][kind];

/** "Reply 1 for Samir, 2 for Layla or 3 for Yousef" — given names only. */
export function askMemberText(language: ReplyLanguage, givenNames: string[]): string {
  const items = givenNames.map((name, i) => `${i + 1} ${FOR[language]} ${name}`);
  const list =
    items.length > 1
      ? `${items.slice(0, -1).join(language === 'ar' ? '، ' : ', ')} ${OR[language]} ${items.at(-1)}`
      : (items[0] ?? '');
  return TEXTS[language].ask(list);
}
