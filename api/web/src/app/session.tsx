/** The signed-in session: who I am (/auth/me), my company, login and logout; permissions for <Can> and menus. */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { answer, api, onUnauthorized, session } from "../api/client";
import type { Company, LoginAnswer, Me, TenantKind, UserView } from "../api/types";

const USER = "partledger.user";

export interface Session {
  me: Me;
  user: UserView | null;
  company: Company | null;
}

interface SessionState {
  /** undefined while the stored token is being checked; null when signed out. */
  current: Session | null | undefined;
  /** Set when the last session ended by a 401 (expired or revoked), for the login page to say so. */
  expired: boolean;
  login(identifier: string, password: string): Promise<void>;
  logout(): Promise<void>;
}

const SessionContext = createContext<SessionState | null>(null);

async function load(): Promise<Session> {
  const me = await answer<Me>(api.GET("/api/v1/auth/me"));
  const company =
    me.companyId && me.permissions.includes("company:view")
      ? await answer<Company>(api.GET("/api/v1/companies/me"))
      : null;
  let user: UserView | null;
  try {
    user = JSON.parse(sessionStorage.getItem(USER) ?? "null") as UserView | null;
  } catch {
    user = null;
  }
  return { me, user, company };
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [current, setCurrent] = useState<Session | null | undefined>(session.token() ? undefined : null);
  const [expired, setExpired] = useState(false);

  useEffect(() => {
    if (current !== undefined) return;
    load().then(setCurrent, () => {
      session.set(null);
      setCurrent(null);
    });
  }, [current]);

  useEffect(
    () =>
      onUnauthorized(() => {
        sessionStorage.removeItem(USER);
        setExpired(true);
        setCurrent(null);
      }),
    [],
  );

  const login = useCallback(async (identifier: string, password: string) => {
    // The login body is typed once the document declares it (DECISIONS 58); until then it is checked by the server.
    const r = await answer<LoginAnswer>(
      api.POST("/api/v1/auth/login", { body: { login: identifier.trim(), password } } as never),
    );
    session.set(r.token);
    // The home page greets the user by their own name (the answer's `name`; `user` is masked like every list).
    sessionStorage.setItem(USER, JSON.stringify({ ...r.user, name: r.name ?? r.user.name }));
    setExpired(false);
    setCurrent(await load());
  }, []);

  const logout = useCallback(async () => {
    try {
      await api.POST("/api/v1/auth/logout");
    } catch {
      /* the session may already be gone */
    }
    session.set(null);
    sessionStorage.removeItem(USER);
    setCurrent(null);
  }, []);

  const value = useMemo(() => ({ current, expired, login, logout }), [current, expired, login, logout]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const v = useContext(SessionContext);
  if (!v) throw new Error("useSession outside SessionProvider");
  return v;
}

/** The signed-in session (only inside the layout, where one exists). */
export function useCurrent(): Session {
  const s = useSession().current;
  if (!s) throw new Error("useCurrent without a session");
  return s;
}

export interface Permissions {
  kind: TenantKind;
  has(permission: string): boolean;
  /** Whether a route (or menu entry) with these requirements is for this user. */
  allows(req: { permission?: string | undefined; kinds?: readonly TenantKind[] | undefined }): boolean;
}

export function permissionsOf(me: Me): Permissions {
  const set = new Set(me.permissions);
  const has = (p: string) => set.has(p);
  return {
    kind: me.kind,
    has,
    allows: (req) => (!req.kinds || req.kinds.includes(me.kind)) && (!req.permission || has(req.permission)),
  };
}

/** `const { has } = usePermissions(); has("user:create")` */
export function usePermissions(): Permissions {
  const { me } = useCurrent();
  return useMemo(() => permissionsOf(me), [me]);
}

/** Shows its children only to a user holding `perm` (and of one of `kinds`): a button one may not use is not shown. */
export function Can({
  perm,
  kinds,
  children,
  fallback = null,
}: {
  perm?: string;
  kinds?: readonly TenantKind[];
  children: ReactNode;
  fallback?: ReactNode;
}) {
  const p = usePermissions();
  return <>{p.allows({ permission: perm, kinds }) ? children : fallback}</>;
}
