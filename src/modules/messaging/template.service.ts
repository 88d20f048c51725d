import type { z } from 'zod';
import type { Actor } from '../../access/actor.js';
import { requireAccess } from '../../access/policy.js';
import type { AppContext } from '../../app-context.js';
import { recordAudit } from '../../audit/audit.service.js';
import { nowIso } from '../../lib/clock.js';
import { notFound, validationFailed } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import { findCrisisById } from '../crises/crisis.repository.js';
import { findPerson } from '../persons/person.repository.js';
import {
  findTemplateRow,
  insertTemplate,
  listTemplateRows,
  type TemplateRow,
  updateTemplateRow,
} from './campaign.repository.js';
import type {
  campaignVariablesSchema,
  renderRequestSchema,
  Template,
  templateInputSchema,
  templatePatchSchema,
} from './messaging.schemas.js';
import { type SmsInfo, smsInfo } from './segments.js';
import {
  CAMPAIGN_VARIABLES,
  checkTemplateBodies,
  LANGUAGES,
  type Language,
  type Rendered,
  renderFor,
  type TemplateBodies,
  templateVariables,
} from './template.rules.js';

type Variables = z.output<typeof campaignVariablesSchema>;

export const parseBodies = (json: string): TemplateBodies => JSON.parse(json) as TemplateBodies;

/** Drops languages left empty, so `{ar: undefined}` is stored as no Arabic version. */
const cleanBodies = (bodies: TemplateBodies): TemplateBodies => {
  const out: TemplateBodies = {};
  for (const l of LANGUAGES) {
    const b = bodies[l];
    if (b) out[l] = b.subject ? { subject: b.subject, body: b.body } : { body: b.body };
  }
  return out;
};

export function toTemplate(row: TemplateRow): Template {
  const bodies = parseBodies(row.bodies);
  return {
    id: row.id,
    crisisId: row.crisis_id,
    name: row.name,
    purpose: row.purpose,
    bodies,
    variables: templateVariables(bodies),
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    archivedAt: row.archived_at,
  };
}

/**
 * The link a message gives for updating one's details. The household's private link cannot be
 * rebuilt (only its SHA-256 is stored), so messages point at the portal in the reader's language,
 * where people open the private link they were given at registration or register again.
 */
export const portalLink = (ctx: AppContext, lang: Language) => `${ctx.config.publicUrl}/${lang}/`;

/** A person's name in the script of the message's language when the registry has it. */
export const nameFor = (p: { nameLatin: string | null; nameArabic: string | null }, lang: Language) =>
  (lang === 'ar' ? (p.nameArabic ?? p.nameLatin) : (p.nameLatin ?? p.nameArabic)) ?? '';

function assertBodies(bodies: TemplateBodies) {
  const errors = checkTemplateBodies(bodies);
  if (errors.length) throw validationFailed(errors, errors[0]?.message);
}

export async function listTemplates(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  includeArchived = false,
) {
  requireAccess(actor, 'message.send', crisisId, { hide: 'crisis' });
  return (await listTemplateRows(ctx.db.db, crisisId, includeArchived)).map(toTemplate);
}

export async function getTemplate(ctx: AppContext, actor: Actor, crisisId: string, templateId: string) {
  requireAccess(actor, 'message.send', crisisId, { hide: 'template' });
  const row = await findTemplateRow(ctx.db.db, crisisId, templateId);
  if (!row) throw notFound('template');
  return toTemplate(row);
}

/** Inserts a template inside a caller's transaction (hooks create their standard texts this way). */
export async function insertTemplateInTransaction(
  trx: Parameters<Parameters<AppContext['db']['writer']['write']>[0]>[0],
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  input: { name: string; purpose: TemplateRow['purpose']; bodies: TemplateBodies },
): Promise<TemplateRow> {
  const at = nowIso();
  const row: TemplateRow = {
    id: newId(),
    crisis_id: crisisId,
    name: input.name,
    purpose: input.purpose,
    bodies: JSON.stringify(cleanBodies(input.bodies)),
    created_by: actor.id,
    created_at: at,
    updated_at: at,
    archived_at: null,
  };
  await insertTemplate(trx, row);
  await recordAudit(trx, ctx.db.dialect, actor, {
    action: 'message_template.created',
    entityType: 'message_template',
    entityId: row.id,
    crisisId,
    change: { name: input.name, purpose: input.purpose, languages: Object.keys(cleanBodies(input.bodies)) },
  });
  return row;
}

export async function createTemplate(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  input: z.output<typeof templateInputSchema>,
): Promise<Template> {
  requireAccess(actor, 'message.send', crisisId, { hide: 'crisis' });
  assertBodies(input.bodies);
  const row = await ctx.db.writer.write(async (trx) => {
    if (!(await findCrisisById(trx, crisisId))) throw notFound('crisis');
    return insertTemplateInTransaction(trx, ctx, actor, crisisId, input);
  });
  return toTemplate(row);
}

export async function updateTemplate(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  templateId: string,
  input: z.output<typeof templatePatchSchema>,
): Promise<Template> {
  requireAccess(actor, 'message.send', crisisId, { hide: 'template' });
  if (input.bodies) assertBodies(input.bodies);
  const at = nowIso();
  const row = await ctx.db.writer.write(async (trx) => {
    const current = await findTemplateRow(trx, crisisId, templateId);
    if (!current) throw notFound('template');
    const patch = {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.purpose !== undefined ? { purpose: input.purpose } : {}),
      ...(input.bodies !== undefined ? { bodies: JSON.stringify(cleanBodies(input.bodies)) } : {}),
      updated_at: at,
    };
    await updateTemplateRow(trx, templateId, patch);
    await recordAudit(trx, ctx.db.dialect, actor, {
      action: 'message_template.updated',
      entityType: 'message_template',
      entityId: templateId,
      crisisId,
      change: { fields: Object.keys(input) },
    });
    return { ...current, ...patch };
  });
  return toTemplate(row);
}

export async function archiveTemplate(ctx: AppContext, actor: Actor, crisisId: string, templateId: string) {
  requireAccess(actor, 'message.send', crisisId, { hide: 'template' });
  const at = nowIso();
  const row = await ctx.db.writer.write(async (trx) => {
    const current = await findTemplateRow(trx, crisisId, templateId);
    if (!current) throw notFound('template');
    await updateTemplateRow(trx, templateId, { archived_at: current.archived_at ?? at, updated_at: at });
    await recordAudit(trx, ctx.db.dialect, actor, {
      action: 'message_template.archived',
      entityType: 'message_template',
      entityId: templateId,
      crisisId,
    });
    return { ...current, archived_at: current.archived_at ?? at, updated_at: at };
  });
  return toTemplate(row);
}

const SAMPLE = {
  nameLatin: 'Noor Example',
  nameArabic: 'نور المثال',
  reference: 'K7R-4MX-9PD',
};

/** Values shown for campaign variables the editor has not filled yet: the variable's own name. */
const withPlaceholders = (variables: Variables): Variables => {
  const out: Variables = { ...variables };
  for (const v of CAMPAIGN_VARIABLES) if (out[v] === undefined) out[v] = `[${v}]`;
  return out;
};

/**
 * Renders a draft template in each of its languages with sample values (for the editor's live
 * length and segment counter), and for one person when asked: their language, name and reference.
 * Rendering for a person shows their name, so it needs `person.read` and is audited.
 */
export async function renderPreview(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  input: z.output<typeof renderRequestSchema>,
) {
  requireAccess(actor, 'message.send', crisisId, { hide: 'crisis' });
  assertBodies(input.bodies);
  const bodies = input.bodies as TemplateBodies;
  const variables = withPlaceholders(input.variables);
  const languages: Partial<Record<Language, RenderedWithSms>> = {};
  for (const lang of LANGUAGES) {
    if (!bodies[lang]) continue;
    languages[lang] = withSms(
      renderFor(
        { [lang]: bodies[lang] },
        lang,
        { name: nameFor(SAMPLE, lang), reference: SAMPLE.reference, updateLink: portalLink(ctx, lang) },
        variables,
      ),
    );
  }
  let person: RenderedWithSms | null = null;
  if (input.personId) {
    requireAccess(actor, 'person.read', crisisId);
    const row = await findPerson(ctx.db.db, crisisId, input.personId);
    if (!row) throw notFound('person');
    const household = await ctx.db.db
      .selectFrom('households')
      .select('locale')
      .where('id', '=', row.household_id)
      .executeTakeFirstOrThrow();
    const lang = (LANGUAGES as readonly string[]).includes(household.locale)
      ? (household.locale as Language)
      : 'en';
    const p = { nameLatin: row.full_name, nameArabic: row.full_name_ar };
    const chosen = renderFor(bodies, lang, { name: '', reference: '', updateLink: '' }, {}).language;
    person = withSms(
      renderFor(
        bodies,
        lang,
        { name: nameFor(p, chosen), reference: row.reference, updateLink: portalLink(ctx, chosen) },
        variables,
      ),
    );
    await ctx.db.writer.write((trx) =>
      recordAudit(trx, ctx.db.dialect, actor, {
        action: 'message_template.previewed_for_person',
        entityType: 'person',
        entityId: row.id,
        crisisId,
      }),
    );
  }
  return { variables: templateVariables(bodies), languages, person };
}

export type RenderedWithSms = Rendered & { sms: SmsInfo };
export const withSms = (r: Rendered): RenderedWithSms => ({ ...r, sms: smsInfo(r.body) });
