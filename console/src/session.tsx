import { useDirection } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, onUnauthenticated, setCsrfToken, setRequestLocale } from './api/client';
import { meQuery, queryKeys } from './api/queries';
import type { CrisisSummary, Locale, Me } from './api/types';
import { directionOf, isLocale, storeLocale, switchLanguage } from './i18n';

const CRISIS_STORAGE_KEY = 'corridor.console.crisis';

interface SessionContextValue {
  me: Me | null | undefined;
  isLoading: boolean;
  locale: Locale;
  changeLocale(locale: Locale): Promise<void>;
  selectedCrisis: CrisisSummary | null;
  selectCrisis(crisisId: string): void;
  /** Applies the answer of a successful sign-in (login, second factor, enrolment). */
  signedIn(me: Me): void;
  signOut(everywhere?: boolean): Promise<void>;
  sessionExpired: boolean;
}

const SessionContext = createContext<SessionContextValue | null>(null);

function readStoredCrisis(): string | null {
  try {
    return localStorage.getItem(CRISIS_STORAGE_KEY);
  } catch {
    return null;
  }
}

function pickCrisis(crises: CrisisSummary[], preferred: string | null): CrisisSummary | null {
  return (
    crises.find((crisis) => crisis.id === preferred) ??
    crises.find((crisis) => crisis.status === 'active') ??
    crises[0] ??
    null
  );
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const { i18n } = useTranslation();
  const { setDirection } = useDirection();
  const meResult = useQuery(meQuery);
  const me = meResult.data;
  const [locale, setLocale] = useState<Locale>(isLocale(i18n.language) ? i18n.language : 'en');
  const [preferredCrisis, setPreferredCrisis] = useState<string | null>(readStoredCrisis);
  const [sessionExpired, setSessionExpired] = useState(false);
  // A language picked before signing in wins over the one saved on the account.
  const [pickedWhileSignedOut, setPickedWhileSignedOut] = useState(false);

  useEffect(() => {
    setRequestLocale(locale);
    setDirection(directionOf(locale));
  }, [locale, setDirection]);

  useEffect(() => {
    if (me) setCsrfToken(me.csrfToken);
  }, [me]);

  // A request that comes back 401 while signed in means the session ended (expired, or signed out
  // everywhere). The page stays as it is, so nothing typed is lost; a dialog asks to sign in again.
  useEffect(
    () =>
      onUnauthenticated(() => {
        if (queryClient.getQueryData(queryKeys.me)) setSessionExpired(true);
      }),
    [queryClient],
  );

  const applyLocale = useCallback(async (next: Locale) => {
    await switchLanguage(next);
    storeLocale(next);
    setLocale(next);
  }, []);

  const changeLocale = useCallback(
    async (next: Locale) => {
      await applyLocale(next);
      const current = queryClient.getQueryData<Me | null>(queryKeys.me);
      if (current && !sessionExpired) {
        // The screen has already switched; saving the preference on the account may fail quietly.
        try {
          const updated = await api.patch<Me>('/me', { locale: next });
          queryClient.setQueryData(queryKeys.me, updated);
        } catch {
          // Next sign-in falls back to the account's previous language; nothing else depends on it.
        }
      } else {
        setPickedWhileSignedOut(true);
      }
    },
    [applyLocale, queryClient, sessionExpired],
  );

  // On the first load of a signed-in session, follow the language saved on the account.
  const [followedAccountLocale, setFollowedAccountLocale] = useState(false);
  useEffect(() => {
    if (!me || followedAccountLocale) return;
    setFollowedAccountLocale(true);
    if (isLocale(me.locale) && me.locale !== locale) void applyLocale(me.locale);
  }, [me, followedAccountLocale, locale, applyLocale]);

  const signedIn = useCallback(
    (next: Me) => {
      setCsrfToken(next.csrfToken);
      setSessionExpired(false);
      setFollowedAccountLocale(true);
      queryClient.setQueryData(queryKeys.me, next);
      if (pickedWhileSignedOut && next.locale !== locale) {
        setPickedWhileSignedOut(false);
        void api
          .patch<Me>('/me', { locale })
          .then((updated) => queryClient.setQueryData(queryKeys.me, updated))
          .catch(() => undefined);
      } else if (isLocale(next.locale) && next.locale !== locale) {
        void applyLocale(next.locale);
      }
    },
    [queryClient, pickedWhileSignedOut, locale, applyLocale],
  );

  const signOut = useCallback(
    async (everywhere = false) => {
      try {
        await api.post<void>(everywhere ? '/auth/logout-everywhere' : '/auth/logout');
      } finally {
        setCsrfToken(null);
        setSessionExpired(false);
        setFollowedAccountLocale(false);
        queryClient.clear();
        queryClient.setQueryData(queryKeys.me, null);
      }
    },
    [queryClient],
  );

  const selectedCrisis = useMemo(() => pickCrisis(me?.crises ?? [], preferredCrisis), [me, preferredCrisis]);

  const selectCrisis = useCallback((crisisId: string) => {
    setPreferredCrisis(crisisId);
    try {
      localStorage.setItem(CRISIS_STORAGE_KEY, crisisId);
    } catch {
      // Without storage the choice lasts until the page is reloaded.
    }
  }, []);

  const value = useMemo<SessionContextValue>(
    () => ({
      me,
      isLoading: meResult.isPending,
      locale,
      changeLocale,
      selectedCrisis,
      selectCrisis,
      signedIn,
      signOut,
      sessionExpired,
    }),
    [
      me,
      meResult.isPending,
      locale,
      changeLocale,
      selectedCrisis,
      selectCrisis,
      signedIn,
      signOut,
      sessionExpired,
    ],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}

/** The signed-in member of staff; only for pages behind `RequireSession`. */
export function useMe(): Me {
  const { me } = useSession();
  if (!me) throw new Error('useMe without a session');
  return me;
}

/** True when the permission is held in every crisis, or in the given crisis. */
export function can(me: Me | null | undefined, permission: string, crisisId?: string | null): boolean {
  if (!me) return false;
  if (me.abilities.global.includes(permission)) return true;
  return crisisId ? (me.abilities.byCrisis[crisisId]?.includes(permission) ?? false) : false;
}

/** True when the permission is held in at least one crisis. */
export function canSomewhere(me: Me | null | undefined, permission: string): boolean {
  if (!me) return false;
  if (me.abilities.global.includes(permission)) return true;
  return Object.values(me.abilities.byCrisis).some((permissions) => permissions.includes(permission));
}
