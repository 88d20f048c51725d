import type { ErrorBody, ErrorParams, FieldError } from './types';

/** An answer from the API that was not a success, with the server's error code and field messages. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: FieldError[] = [],
    /** The `content-language` of the answer, when the server said which language its messages are in. */
    readonly language: string | null = null,
    /** The facts behind a refusal, for a sentence in the language on screen (`refusal-detail.ts`). */
    readonly params: ErrorParams = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

const API_BASE = '/api/v1';

// The CSRF token belongs to the server-side session; it is kept in memory only (never in storage).
let csrfToken: string | null = null;
let currentLocale = 'en';
const unauthenticatedListeners = new Set<() => void>();

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export function setRequestLocale(locale: string): void {
  currentLocale = locale;
}

/** Called when a signed-in request comes back 401 (session ended elsewhere or expired). */
export function onUnauthenticated(listener: () => void): () => void {
  unauthenticatedListeners.add(listener);
  return () => unauthenticatedListeners.delete(listener);
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

interface RequestOptions {
  body?: unknown;
  query?: Record<string, string | number | undefined | null>;
  /** Pre-session routes (login, accept) answer 401 as part of their normal flow. */
  quietUnauthenticated?: boolean;
  signal?: AbortSignal;
}

function buildUrl(path: string, query?: RequestOptions['query']): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const search = params.toString();
  return `${API_BASE}${path}${search ? `?${search}` : ''}`;
}

async function readError(response: Response): Promise<ApiError> {
  let body: Partial<ErrorBody> | undefined;
  try {
    body = (await response.json()) as Partial<ErrorBody>;
  } catch {
    body = undefined;
  }
  const error = body?.error;
  return new ApiError(
    response.status,
    error?.code ?? (response.status >= 500 ? 'internal' : 'unknown'),
    error?.message ?? response.statusText,
    Array.isArray(error?.fields) ? error.fields : [],
    response.headers.get('content-language'),
    error?.params && typeof error.params === 'object' && !Array.isArray(error.params) ? error.params : {},
  );
}

/** One call to the staff API. Sends the session cookie and, on state changes, the CSRF token. */
export async function apiRequest<T>(method: Method, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', 'accept-language': currentLocale };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(buildUrl(path, options.query), {
      method,
      headers,
      credentials: 'same-origin',
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError(0, 'network', cause instanceof Error ? cause.message : 'network error');
  }
  if (!response.ok) {
    const error = await readError(response);
    if (response.status === 401 && !options.quietUnauthenticated) {
      for (const listener of unauthenticatedListeners) listener();
    }
    throw error;
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** A multipart upload (files); the browser sets the boundary. Fields must come before the file. */
export async function apiUpload<T>(
  path: string,
  form: FormData,
  query?: RequestOptions['query'],
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', 'accept-language': currentLocale };
  if (csrfToken) headers['x-csrf-token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(buildUrl(path, query), {
      method: 'POST',
      headers,
      credentials: 'same-origin',
      body: form,
    });
  } catch (cause) {
    throw new ApiError(0, 'network', cause instanceof Error ? cause.message : 'network error');
  }
  if (!response.ok) {
    const error = await readError(response);
    if (response.status === 401) for (const listener of unauthenticatedListeners) listener();
    throw error;
  }
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/**
 * The same upload through XMLHttpRequest, which reports how much of the file has been sent
 * (`fetch` does not): `onProgress` receives a fraction from 0 to 1.
 */
export function apiUploadWithProgress<T>(
  path: string,
  form: FormData,
  query: RequestOptions['query'],
  onProgress: (fraction: number) => void,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', buildUrl(path, query));
    request.setRequestHeader('accept', 'application/json');
    request.setRequestHeader('accept-language', currentLocale);
    if (csrfToken) request.setRequestHeader('x-csrf-token', csrfToken);
    request.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
    };
    request.onerror = () => reject(new ApiError(0, 'network', 'network error'));
    request.onload = () => {
      let body: Partial<ErrorBody> | undefined;
      try {
        body = request.responseText ? (JSON.parse(request.responseText) as Partial<ErrorBody>) : undefined;
      } catch {
        body = undefined;
      }
      if (request.status >= 200 && request.status < 300) {
        resolve(body as T);
        return;
      }
      const error = body?.error;
      if (request.status === 401) for (const listener of unauthenticatedListeners) listener();
      reject(
        new ApiError(
          request.status,
          error?.code ?? (request.status >= 500 ? 'internal' : 'unknown'),
          error?.message ?? request.statusText,
          Array.isArray(error?.fields) ? error.fields : [],
          request.getResponseHeader('content-language'),
        ),
      );
    };
    request.send(form);
  });
}

/** A state-changing call whose answer is a file: the raw response, or the API error. */
export async function apiRequestRaw(method: Method, path: string, body: unknown): Promise<Response> {
  const headers: Record<string, string> = {
    'accept-language': currentLocale,
    'content-type': 'application/json',
  };
  if (csrfToken) headers['x-csrf-token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(buildUrl(path), {
      method,
      headers,
      credentials: 'same-origin',
      body: JSON.stringify(body),
    });
  } catch (cause) {
    throw new ApiError(0, 'network', cause instanceof Error ? cause.message : 'network error');
  }
  if (!response.ok) {
    const error = await readError(response);
    if (response.status === 401) for (const listener of unauthenticatedListeners) listener();
    throw error;
  }
  return response;
}

/** The address of an API file download (GET, sent with the session cookie). */
export function apiUrl(path: string, query?: RequestOptions['query']): string {
  return buildUrl(path, query);
}

export const api = {
  get: <T>(path: string, query?: RequestOptions['query'], signal?: AbortSignal) =>
    apiRequest<T>('GET', path, { query, signal }),
  post: <T>(path: string, body?: unknown, options: Omit<RequestOptions, 'body'> = {}) =>
    apiRequest<T>('POST', path, { ...options, body }),
  patch: <T>(path: string, body: unknown) => apiRequest<T>('PATCH', path, { body }),
};

export function isApiError(error: unknown, code?: string): error is ApiError {
  return error instanceof ApiError && (code === undefined || error.code === code);
}
