// The Prompts page's "Record by phone" (docs/ivr.md, Recording a prompt by phone): an
// admin names the prompt, gets a one-time code for their own phone
// (POST /api/v1/prompts/{name}/phone-code) and is told what to dial; the page reads
// the library again every few seconds until the recording has arrived.
import { useEffect, useState } from "preact/hooks";
import { api, ApiError } from "../api";
import { formatTime } from "../format";
import { t } from "../i18n";
import { loadPrompts, type Prompt, PROMPT_NAME } from "../prompts";

type Code = { prompt: string; code: string; dial: string; extension: string; expires_at: number };

export function PromptByPhone({ list, onRecorded }: { list: Prompt[]; onRecorded: (name: string) => void }) {
  const [name, setName] = useState("");
  const [code, setCode] = useState<Code | null>(null);
  const [problem, setProblem] = useState("");
  const [busy, setBusy] = useState(false);
  const trimmed = name.trim();

  // Until the code expires, look for the recording: an upload of that name newer than the code.
  useEffect(() => {
    if (!code) return undefined;
    const asked = code.expires_at - 10 * 60 * 1000;
    const timer = window.setInterval(() => {
      if (Date.now() > code.expires_at) { setCode(null); return; }
      loadPrompts().then((items) => {
        if (items.some((p) => p.name === code.prompt && p.source === "uploaded" && p.modified_at >= asked - 1000)) {
          onRecorded(code.prompt);
          setCode(null);
        }
      }).catch(() => {});
    }, 3000);
    return () => window.clearInterval(timer);
  }, [code]);

  const ask = async () => {
    if (!PROMPT_NAME.test(trimmed)) return setProblem(t("prompts.err.name"));
    setBusy(true);
    setProblem("");
    try {
      setCode(await api<Code>("POST", `/prompts/${encodeURIComponent(trimmed)}/phone-code`));
    } catch (e) {
      setProblem(e instanceof ApiError && e.code === "no_extension" ? t("prompts.phone.noExtension")
        : e instanceof ApiError && e.code === "invalid_parameter" ? t("prompts.err.name") : e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
    return undefined;
  };
  return (
    <form class="prompt-upload prompt-phone" id="prompt-phone" onSubmit={(e) => { e.preventDefault(); void ask(); }}>
      <label class="field">
        <span>{t("prompts.phone.name")}</span>
        <input type="text" id="prompt-phone-name" value={name} maxLength={64} spellcheck={false} list="prompt-phone-names"
          aria-invalid={problem !== ""} onInput={(e) => { setName(e.currentTarget.value); setProblem(""); }} />
        <datalist id="prompt-phone-names">{list.map((p) => <option key={p.name} value={p.name} />)}</datalist>
      </label>
      <button type="submit" class="primary" id="prompt-phone-ask" disabled={busy}>{t("prompts.phone.ask")}</button>
      <span class="muted small">{t("prompts.phone.help")}</span>
      {code && (
        <p class="prompt-phone-code" id="prompt-phone-code" role="status">
          {t("prompts.phone.dial", { extension: code.extension, until: formatTime(code.expires_at) })}{" "}
          <strong class="mono" id="prompt-phone-dial">{code.dial}</strong>{" "}
          <span class="muted">{t("prompts.phone.steps", { name: code.prompt })}</span>
        </p>
      )}
      {problem && <p class="form-error prompt-upload-problem" role="alert" id="prompt-phone-problem">{problem}</p>}
    </form>
  );
}
