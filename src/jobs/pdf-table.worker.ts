/**
 * Worker: rebuilds the table of a text PDF. pdf.js's legacy build installs global polyfills
 * (JSON, Array.prototype.push) that slow everything else in its thread, so it never loads in the
 * server's main thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { errorMessage } from '../lib/errors.js';
import { readPdfTable } from '../modules/crossings/list-parsing/list-pdf.js';
import { ListFormatError } from '../modules/crossings/list-parsing/list-table.js';

const { file, data } = workerData as { file: string; data: Uint8Array };
try {
  parentPort?.postMessage({ ok: true, table: await readPdfTable(file, data) });
} catch (error) {
  parentPort?.postMessage(
    error instanceof ListFormatError
      ? {
          ok: false,
          listError: { file: error.file, message: error.reason, row: error.row, column: error.column },
        }
      : { ok: false, message: errorMessage(error) },
  );
}
