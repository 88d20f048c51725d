import { createHmac } from 'node:crypto';
import { publicActor, systemActor } from '../../access/actor.js';
import type { AppContext } from '../../app-context.js';
import { recordAudit } from '../../audit/audit.service.js';
import { nowIso } from '../../lib/clock.js';
import { hashSecret, newId } from '../../lib/ids.js';
import { SecretBox } from '../../lib/secret-box.js';
import {
  claimDownload,
  findPackageByLink,
  insertDownload,
  listPurgeablePackages,
  type PackageRow,
  purgePackageContent,
} from './package.repository.js';

/*
 * The life of a package's link: the sealed file while the link lives, the public download, and the
 * deletion of files whose link can no longer be used.
 */

const boxes = new WeakMap<AppContext, SecretBox>();
/** Package files holding personal data are sealed with their own derived key while their link lives. */
export function packageBox(ctx: AppContext): SecretBox {
  let box = boxes.get(ctx);
  if (!box) {
    box = new SecretBox(ctx.config.secretKey, 'partner-packages', ctx.config.previousSecretKeys);
    boxes.set(ctx, box);
  }
  return box;
}

/**
 * A keyed hash of the downloader's address: repeated downloads from one place can be told apart,
 * but the address cannot be recovered by hashing the (small) IPv4 space.
 */
const addressHash = (ctx: AppContext, address: string) =>
  createHmac('sha256', ctx.config.secretKey).update(`package-download:${address}`).digest('hex').slice(0, 32);

export type LinkState = 'live' | 'expired' | 'revoked' | 'exhausted';

export function linkState(row: PackageRow, now = nowIso()): LinkState {
  if (row.revoked_at) return 'revoked';
  if (row.expires_at <= now) return 'expired';
  if (row.max_downloads !== null && row.downloads >= row.max_downloads) return 'exhausted';
  return 'live';
}

/**
 * Deletes the stored files of links that can no longer be used (expired, revoked, out of
 * downloads). Runs whenever packages are built, listed or downloaded; the log rows stay.
 */
export async function purgeSpentPackages(ctx: AppContext): Promise<number> {
  const now = nowIso();
  const spent = await listPurgeablePackages(ctx.db.db, now);
  if (spent.length === 0) return 0;
  // Two instances may purge at once: each audits only the rows its own update changed.
  return ctx.db.writer.write(async (trx) => {
    const purged = await purgePackageContent(
      trx,
      spent.map((s) => s.id),
      now,
    );
    for (const s of purged)
      await recordAudit(trx, ctx.db.dialect, systemActor('package expiry'), {
        action: 'data_package.purged',
        entityType: 'data_package',
        entityId: s.id,
        crisisId: s.crisis_id,
      });
    return purged.length;
  });
}

// ---- the public download ----

/**
 * The file behind a download link, counted, logged and audited — or undefined, the same for a link
 * that never existed, has expired, was revoked or has no downloads left.
 */
export async function downloadPackage(
  ctx: AppContext,
  token: string,
  address: string,
): Promise<{ body: Buffer; fileName: string; contentType: string } | undefined> {
  const row = await findPackageByLink(ctx.db.db, hashSecret(token));
  if (!row) return undefined;
  const at = nowIso();
  const content = await ctx.db.writer.write(async (trx) => {
    if (!(await claimDownload(trx, row.id, at))) return undefined;
    const current = await trx
      .selectFrom('data_packages')
      .select(['content', 'downloads', 'max_downloads'])
      .where('id', '=', row.id)
      .executeTakeFirstOrThrow();
    const hashed = addressHash(ctx, address);
    await insertDownload(trx, { id: newId(), package_id: row.id, at, address_hash: hashed });
    await recordAudit(trx, ctx.db.dialect, publicActor, {
      action: 'data_package.downloaded',
      entityType: 'data_package',
      entityId: row.id,
      crisisId: row.crisis_id,
      change: { addressHash: hashed, download: current.downloads },
    });
    // The last allowed download takes the file with it.
    if (current.max_downloads !== null && current.downloads >= current.max_downloads)
      await purgePackageContent(trx, [row.id], at);
    return current.content;
  });
  if (!content) {
    await purgeSpentPackages(ctx);
    return undefined;
  }
  const base64 = row.content_sealed === 1 ? packageBox(ctx).open(content) : content;
  return { body: Buffer.from(base64, 'base64'), fileName: row.file_name, contentType: row.content_type };
}
