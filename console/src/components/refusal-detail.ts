import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';
import type { ErrorParams } from '../api/types';
import { formatDateTime, formatDay } from '../format';

/** A loose `t` for keys chosen at run time from a refusal's code (the full typed `t` cannot follow them). */
type Translate = (key: string, options?: Record<string, unknown>) => string;

const text = (params: ErrorParams, key: string): string => {
  const value = params[key];
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
};
const list = (params: ErrorParams, key: string): Record<string, string | number>[] => {
  const value = params[key];
  return Array.isArray(value) ? value : [];
};

/**
 * The particulars of a transport refusal (which legs, which status, since when), worded in the
 * language on screen from the facts the server sends with it (`error.params`). Without them, the
 * server's own sentence, but only on an English screen (it is English); otherwise nothing, and the
 * headline for the code stands alone.
 */
export function useRefusalDetail(): (error: unknown) => string | null {
  const { t: typed, i18n } = useTranslation();
  const t = typed as unknown as Translate;
  const locale = i18n.language;
  const legStatus = (s: string) => t(`transport.legStatus.${s}`, { defaultValue: s });
  const seatStatus = (s: string) => t(`transport.seatStatus.${s}`, { defaultValue: s });
  const key = (name: string) => `transport.refusalDetails.${name}`;

  const fromParams = (error: ApiError): string | null => {
    const p = error.params;
    switch (error.code) {
      case 'leg_not_boarding':
        return p.legStatus ? t(key('leg_not_boarding'), { status: legStatus(text(p, 'legStatus')) }) : null;
      case 'wrong_leg':
        if (!p.leg) return null;
        return p.otherLeg
          ? t(key('wrong_leg'), { leg: text(p, 'leg'), otherLeg: text(p, 'otherLeg') })
          : t(key('wrong_leg_unknown'), { leg: text(p, 'leg') });
      case 'already_checked_in':
        return p.at ? t(key('already_checked_in'), { at: formatDateTime(text(p, 'at'), locale) }) : null;
      case 'not_checkable':
        return p.seatStatus ? t(key('not_checkable'), { status: seatStatus(text(p, 'seatStatus')) }) : null;
      case 'invalid_transition':
        return p.seatStatus && p.to
          ? t(key('seat_transition'), {
              status: seatStatus(text(p, 'seatStatus')),
              to: seatStatus(text(p, 'to')),
            })
          : null;
      case 'capacity': {
        const short = list(p, 'short').map((s) =>
          t(key('capacity_kind'), {
            kind: t(`transport.placeKind.${String(s.kind)}`, { defaultValue: String(s.kind) }),
            need: s.need,
            free: s.free,
          }),
        );
        return p.leg ? t(key('capacity'), { leg: text(p, 'leg'), short: short.join(' · ') }) : null;
      }
      case 'duplicate_registration': {
        const places = list(p, 'places').map((place) =>
          t(key('duplicate_place'), {
            reference: place.reference,
            leg: place.leg,
            status: seatStatus(String(place.seatStatus)),
          }),
        );
        if (places.length > 0)
          return t(key('duplicate_held'), {
            count: Number(p.count) || places.length,
            places: places.join(' · '),
          });
        return p.count ? t(key('duplicate_twice'), { count: Number(p.count) }) : null;
      }
      case 'conflict':
        switch (p.rule) {
          case 'travel_together':
          case 'lap_needs_seat':
            return t(key(p.rule));
          case 'leg_not_open':
            return t(key('leg_not_open'), { status: legStatus(text(p, 'legStatus')) });
          case 'already_held':
            return t(key('already_held'), { count: Number(p.count), codes: text(p, 'codes') });
          case 'zone_unreachable':
            return t(key('zone_unreachable'), { count: Number(p.count), place: text(p, 'assemblyPoint') });
          case 'not_on_list':
            return t(key('not_on_list'), {
              count: Number(p.count),
              day: formatDay(text(p, 'listDate'), locale),
            });
          case 'legs_not_open':
            return t(key('legs_not_open'), {
              legs: list(p, 'legs')
                .map((l) => t(key('leg_with_status'), { leg: l.leg, status: legStatus(String(l.legStatus)) }))
                .join(' · '),
            });
          default:
            return null;
        }
      case 'plan_stale':
        switch (p.reason) {
          case 'not_waiting':
            return t(key('stale_not_waiting'));
          case 'leg_gone':
            return t(key('stale_leg_gone'), { leg: text(p, 'leg') });
          case 'leg_changed':
            return t(key('stale_leg_changed'), { leg: text(p, 'leg') });
          case 'merged':
            return t(key('stale_merged'));
          default:
            return null;
        }
      default:
        return null;
    }
  };

  return (error) => {
    if (!(error instanceof ApiError)) return null;
    const worded = fromParams(error);
    if (worded) return worded;
    return locale === 'en' && error.message.trim() ? error.message : null;
  };
}
