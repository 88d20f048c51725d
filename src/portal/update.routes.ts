import type { FastifyInstance, FastifyRequest } from 'fastify';
import QRCode from 'qrcode';
import type { AppContext } from '../app-context.js';
import { AppError } from '../lib/errors.js';
import {
  casesForPortal,
  PUBLIC_HELP_TYPES,
  requestHelpFromPortal,
} from '../modules/cases/case-public.service.js';
import type { Zone } from '../modules/crises/crisis.schemas.js';
import { checkApprovedLists } from '../modules/crossings/list-check.service.js';
import { activeCrises } from '../modules/persons/crisis-directory.js';
import {
  type HouseholdView,
  type LinkChange,
  openHouseholdLink,
  updateByLink,
} from '../modules/persons/household-link.service.js';
import type { Intention, MemberInput } from '../modules/persons/person.schemas.js';
import { offersForPortal, respondToOffer } from '../modules/transport/offer-public.service.js';
import { emptyMember, newDraft } from './draft.js';
import { isPortalLang, type PortalLang } from './i18n.js';
import { messagePage, PORTAL_COOKIE, portalCsrf, sendPage } from './portal.routes.js';
import { type FormBody, field, type StepErrors, validateStep } from './steps.js';
import { renderInvalidLink, renderUpdate } from './update-pages.js';

type LinkRequest = FastifyRequest<{
  Params: { ref: string; secret: string };
  Querystring: { lang?: string; done?: string };
  Body: FormBody;
}>;

function langOf(req: LinkRequest, view: HouseholdView | undefined, body: FormBody = {}): PortalLang {
  const asked = field(body, 'lang') || req.query.lang || view?.household.locale || 'en';
  return isPortalLang(asked) ? asked : 'en';
}

async function zonesOf(ctx: AppContext, crisisId: string): Promise<Zone[]> {
  return ((await activeCrises(ctx)).zones.get(crisisId) ?? []).filter((z) => z.status === 'active');
}

/** Reads the posted form into a change, or the field errors (reusing the registration checks). */
function changeFrom(
  action: string,
  body: FormBody,
  zones: Zone[],
): { change: LinkChange } | { errors: StepErrors } {
  const draft = newDraft('', 'en', '');
  if (action === 'safe') return { change: { kind: 'safe' } };
  if (action === 'location') {
    const d = {
      ...draft,
      location: { zone: field(body, 'l_zone', 40), place: field(body, 'l_place') },
      intention: field(body, 'intention'),
    };
    if (!['leave', 'stay', 'undecided'].includes(d.intention)) d.intention = '';
    const errors = validateStep(
      d,
      'location',
      zones.map((z) => z.code),
    );
    return Object.keys(errors).length
      ? { errors }
      : {
          change: {
            kind: 'location',
            zone: d.location.zone,
            place: d.location.place,
            intention: d.intention as Intention,
          },
        };
  }
  if (action === 'contacts') {
    const d = {
      ...draft,
      contacts: {
        phone: field(body, 'c_phone', 40),
        whatsapp: field(body, 'c_whatsapp') === 'yes',
        email: field(body, 'c_email'),
      },
    };
    const errors = validateStep(d, 'contacts', []);
    return Object.keys(errors).length ? { errors } : { change: { kind: 'contacts', ...d.contacts } };
  }
  if (action === 'add_member') {
    const m = {
      ...emptyMember(),
      given: field(body, 'm_given', 100),
      family: field(body, 'm_family', 100),
      nameArabic: field(body, 'm_nameArabic', 300),
      birthDate: field(body, 'm_birthDate', 10),
      passport: field(body, 'm_passport', 40),
    };
    const errors = Object.fromEntries(
      Object.entries(validateStep({ ...draft, members: [m] }, 'members', [])).map(([k, v]) => [
        k.replace(/^m0_/, 'm_'),
        v,
      ]),
    );
    if (Object.keys(errors).length) return { errors };
    const relationship = field(body, 'm_relationship');
    const sex = field(body, 'm_sex');
    const category = field(body, 'm_category');
    const member: Record<string, unknown> = { relationship: relationship || 'other_relative' };
    if (m.given || m.family)
      member.nameLatin = Object.fromEntries(
        Object.entries({ given: m.given, family: m.family }).filter(([, v]) => v),
      );
    if (m.nameArabic) member.nameArabic = { full: m.nameArabic };
    if (sex) member.sex = sex;
    if (m.birthDate) member.birthDate = m.birthDate;
    if (category) member.eligibilityCategory = category;
    if (m.passport) member.documents = [{ type: 'passport', number: m.passport }];
    return { change: { kind: 'add_member', member: member as MemberInput } };
  }
  return { errors: { _form: 'invalid' } };
}

/**
 * The private update page behind `/u/<reference>/<secret>`. An unknown reference and a wrong
 * secret get the very same page and status, so the link cannot be probed part by part.
 */
export async function registerUpdateRoutes(
  app: FastifyInstance,
  ctx: AppContext,
  limit: object,
): Promise<void> {
  const options = { schema: { hide: true }, config: limit };

  app.get('/u/:ref/:secret', options, async (request, reply) => {
    const req = request as LinkRequest;
    const view = await openHouseholdLink(ctx, req.params.ref, req.params.secret);
    const lang = langOf(req, view);
    if (!view) return sendPage(reply, 404, renderInvalidLink(lang));
    const done = req.query.done ?? '';
    const seatNotices = ['confirmed', 'declined', 'expired', 'closed'] as const;
    const seatNotice = seatNotices.find((n) => n === done);
    const notice =
      done === 'safe' ? 'safe' : done === '1' ? 'saved' : /^C-[2-9A-Z]{5}$/.test(done) ? 'help' : seatNotice;
    const link = { reference: req.params.ref, secret: req.params.secret };
    const seats = await offersForPortal(ctx, link);
    // A QR code per confirmed seat: the check-in page scans it where the phone's browser can.
    const seatQr = new Map<string, string>();
    for (const p of seats.flatMap((o) => o.people)) {
      if (p.status === 'confirmed' || p.status === 'checked_in') {
        seatQr.set(p.code, await QRCode.toString(p.code, { type: 'svg', margin: 1, width: 96 }));
      }
    }
    return sendPage(
      reply,
      200,
      renderUpdate({
        lang,
        view,
        lists: await checkApprovedLists(ctx, link),
        seats,
        seatQr,
        requests: await casesForPortal(ctx, link),
        helpNumber: notice === 'help' ? done : undefined,
        zones: await zonesOf(ctx, view.household.crisis_id),
        path: req.url.split('?')[0]!,
        csrf: portalCsrf(ctx, req, reply),
        errors: {},
        typed: {},
        notice,
      }),
    );
  });

  app.post('/u/:ref/:secret', options, async (request, reply) => {
    const req = request as LinkRequest;
    const body: FormBody = req.body && typeof req.body === 'object' ? req.body : {};
    const view = await openHouseholdLink(ctx, req.params.ref, req.params.secret);
    const lang = langOf(req, view, body);
    if (!view) return sendPage(reply, 404, renderInvalidLink(lang));
    const path = req.url.split('?')[0]!;
    const cookie = req.cookies[PORTAL_COOKIE];
    if (!cookie || field(body, 'csrf') !== cookie)
      return sendPage(reply, 403, messagePage(lang, cookie ? 'expired' : 'cookies', path));
    if (field(body, 'website')) return sendPage(reply, 400, messagePage(lang, 'expired', path));
    const zones = await zonesOf(ctx, view.household.crisis_id);
    const action = field(body, 'action');
    if (action === 'seat_confirm' || action === 'seat_decline') {
      let outcome: 'confirmed' | 'declined' | 'expired' | 'closed' =
        action === 'seat_confirm' ? 'confirmed' : 'declined';
      try {
        await respondToOffer(ctx, {
          reference: req.params.ref,
          secret: req.params.secret,
          legId: field(body, 'legId', 100),
          decision: action === 'seat_confirm' ? 'confirm' : 'decline',
        });
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        outcome = error.code === 'offer_expired' ? 'expired' : 'closed';
      }
      return reply.redirect(`${path}?lang=${lang}&done=${outcome}`, 303);
    }
    if (action === 'help') {
      const type = field(body, 'h_type');
      const message = field(body, 'h_message', 2000);
      if (message.length >= 3 && (PUBLIC_HELP_TYPES as readonly string[]).includes(type)) {
        const opened = await requestHelpFromPortal(ctx, {
          reference: req.params.ref,
          secret: req.params.secret,
          type: type as (typeof PUBLIC_HELP_TYPES)[number],
          message,
        });
        return reply.redirect(`${path}?lang=${lang}&done=${opened.number}`, 303);
      }
      const helpErrors: StepErrors = message.length < 3 ? { h_message: 'required' } : { h_type: 'invalid' };
      return sendPage(
        reply,
        400,
        renderUpdate({ lang, view, zones, path, csrf: cookie, errors: helpErrors, typed: body }),
      );
    }
    const parsed = changeFrom(action, body, zones);
    let errors: StepErrors = 'errors' in parsed ? parsed.errors : {};
    if ('change' in parsed) {
      try {
        await updateByLink(ctx, view, parsed.change);
        return reply.redirect(`${path}?lang=${lang}&done=${action === 'safe' ? 'safe' : '1'}`, 303);
      } catch (error) {
        if (!(error instanceof AppError) || error.code !== 'validation_failed') throw error;
        errors = {
          [action === 'contacts' ? 'c_phone' : action === 'location' ? 'l_zone' : 'm_given']: 'invalid',
        };
      }
    }
    return sendPage(reply, 400, renderUpdate({ lang, view, zones, path, csrf: cookie, errors, typed: body }));
  });
}
