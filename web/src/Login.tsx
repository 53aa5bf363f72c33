import { useEffect, useState } from "preact/hooks";
import { ApiError } from "./api";
import { t } from "./i18n";
import { LangSwitch } from "./ui";
import { signIn } from "./session";

export function Login({ notice }: { notice?: "sessionEnded" | undefined }) {
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>(notice ? t("login.sessionEnded") : "");
  const [version, setVersion] = useState("");

  useEffect(() => {
    fetch("/api/v1/health").then((r) => r.json()).then((h: { version?: string }) => setVersion(h.version ?? "")).catch(() => {});
  }, []);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError("");
    try {
      await signIn(username, password);
    } catch (failure) {
      setBusy(false);
      if (!(failure instanceof ApiError)) setError(t("login.unreachable"));
      else if (failure.status === 0) setError(t("login.unreachable"));
      else if (failure.status === 429) setError(t("login.throttled", { s: failure.retryAfter ?? 60 }));
      else if (failure.status === 401) setError(t("login.badCredentials"));
      else setError(t("login.failed", { message: failure.message }));
    }
  };

  return (
    <div class="login-page">
      <form class="login-card" id="login" onSubmit={submit}>
        <div class="login-head">
          <span class="brand">unicc</span>
          <LangSwitch />
        </div>
        <h1>{t("login.title")}</h1>
        <label>
          <span>{t("login.username")}</span>
          <input id="username" name="username" autocomplete="username" required value={username}
            onInput={(e) => setUsername(e.currentTarget.value)} />
        </label>
        <label>
          <span>{t("login.password")}</span>
          <input id="password" name="password" type="password" autocomplete="current-password" required value={password}
            onInput={(e) => setPassword(e.currentTarget.value)} />
        </label>
        <button class="primary" type="submit" disabled={busy}>{busy ? t("login.busy") : t("login.submit")}</button>
        <p class="form-error" id="login-error" role="alert">{error}</p>
        {version && <p class="login-version">{t("shell.version", { version })}</p>}
      </form>
    </div>
  );
}
