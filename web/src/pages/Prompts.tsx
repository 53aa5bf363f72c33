// The prompt library (docs/api.md, Prompt library): what flows play and queues play as
// music on hold. Admins upload (WAV or MP3, converted by the server), replace and
// delete; supervisors list and play. A text-to-speech box previews what a flow's
// text prompt will sound like.
import { useEffect, useRef, useState } from "preact/hooks";
import { api, ApiError, type User } from "../api";
import { DeleteButton } from "../console/RecordForm";
import { formatBytes, formatDateTime, formatDuration, formatMs } from "../format";
import { t } from "../i18n";
import {
  AudioOut, loadPrompts, type Prompt, PROMPT_NAME, promptAudio, promptLibrary, spoken, useAudio,
} from "../prompts";
import { useStore } from "../store";
import { PromptByPhone } from "./PromptByPhone";
import { Empty } from "../ui";

export const formatPromptLength = (ms: number): string => (ms < 60_000 ? formatMs(ms) : formatDuration(ms / 1000));

/** A name for a prompt from its file's name: "Welcome (v2).mp3" → "Welcome_v2". */
const nameFromFile = (file: string): string =>
  file.replace(/\.[^.]*$/, "").replace(/[^A-Za-z0-9_-]+/g, "_").replace(/^_+|_+$/g, "").slice(0, 64);

function uploadProblem(error: unknown): { field: "name" | "file"; text: string } {
  if (!(error instanceof ApiError)) return { field: "file", text: String(error) };
  switch (error.code) {
    case "not_audio": return { field: "file", text: t("prompts.err.notAudio", { reason: error.message }) };
    case "empty_body": return { field: "file", text: t("prompts.err.empty") };
    case "invalid_parameter": return { field: "name", text: t("prompts.err.name") };
    case "forbidden": return { field: "file", text: t("error.forbidden") };
    default:
      return error.status === 413 ? { field: "file", text: t("prompts.err.tooLarge") } : { field: "file", text: error.message };
  }
}

export function PromptsPage({ user }: { user: User }) {
  const admin = user.role === "admin";
  const list = useStore(promptLibrary);
  const [error, setError] = useState("");
  const [notice, setNotice] = useState("");
  const [filter, setFilter] = useState("");
  const audio = useAudio();
  const reload = () => loadPrompts().then(() => setError("")).catch((e: unknown) => setError(e instanceof ApiError ? e.message : String(e)));
  useEffect(() => { void reload(); }, []);

  const remove = async (prompt: Prompt) => {
    try {
      await api("DELETE", `/prompts/${encodeURIComponent(prompt.name)}`);
      if (audio.playing?.key === prompt.name) audio.stop();
      setNotice(t("prompts.deleted", { name: prompt.name }));
      await reload();
    } catch (e) {
      setError(e instanceof ApiError && e.code === "shipped" ? t("prompts.err.shipped") : e instanceof ApiError ? e.message : String(e));
    }
  };

  const needle = filter.trim().toLowerCase();
  const shown = (list ?? []).filter((p) => !needle || p.name.toLowerCase().includes(needle) || p.file.toLowerCase().includes(needle));
  return (
    <div class="page prompts-page">
      <div class="page-head">
        <h1>{t("prompts.title")}</h1>
        <span class="muted small" id="prompts-help">{t("prompts.intro")}</span>
      </div>
      {admin ? <Upload list={list ?? []} onUploaded={(p, replaced) => {
        setNotice(t(replaced ? "prompts.replaced" : "prompts.uploaded", { name: p.name, file: p.file }));
        void reload();
      }} /> : <p class="notice-muted small" id="prompts-readonly">{t("prompts.readOnly")}</p>}
      {admin && <PromptByPhone list={list ?? []} onRecorded={(name) => setNotice(t("prompts.phone.recorded", { name }))} />}
      {notice && <p class="flow-notice" role="status" id="prompts-notice">{notice}
        <button type="button" class="quiet small" aria-label={t("flows.dismiss")} onClick={() => setNotice("")}>×</button></p>}
      {error && <p class="form-error" role="alert" id="prompts-error">{error}</p>}
      <div class="prompts-main">
        <section class="prompts-list" aria-label={t("prompts.library")}>
          <div class="toolbar">
            <input type="search" class="filter" id="prompt-filter" placeholder={t("prompts.filter")} aria-label={t("prompts.filter")}
              value={filter} onInput={(e) => setFilter(e.currentTarget.value)} />
            <span class="muted small">{list ? t("prompts.count", { n: shown.length }) : t("prompts.loading")}</span>
          </div>
          <AudioOut audio={audio} id="prompt-player" only="lib:" />
          {list && shown.length === 0 ? <Empty>{list.length ? t("prompts.noMatch") : t("prompts.none")}</Empty> : (
            <table class="grid" id="prompt-list">
              <thead><tr>
                <th>{t("prompts.col.name")}</th><th>{t("prompts.col.file")}</th><th>{t("prompts.col.source")}</th>
                <th class="num">{t("prompts.col.duration")}</th><th class="num">{t("prompts.col.size")}</th>
                <th>{t("prompts.col.modified")}</th><th />
              </tr></thead>
              <tbody>
                {shown.map((p) => (
                  <tr key={`${p.source}/${p.name}`} data-prompt={p.name} data-source={p.source}
                    class={audio.playing?.key === `lib:${p.name}` ? "chosen" : ""}>
                    <td class="mono">{p.name}</td>
                    <td class="mono small">{p.file}</td>
                    <td><span class={`pill prompt-${p.source}`}>{t(p.source === "uploaded" ? "prompts.source.uploaded" : "prompts.source.shipped")}</span></td>
                    <td class="num" data-duration-ms={p.duration_ms}>{formatPromptLength(p.duration_ms)}</td>
                    <td class="num">{formatBytes(p.bytes)}</td>
                    <td class="small">{formatDateTime(p.modified_at)}</td>
                    <td class="num actions">
                      <button type="button" class="small play" data-play={p.name} disabled={audio.busy === `lib:${p.name}`}
                        aria-label={t("prompts.playName", { name: p.name })}
                        onClick={() => void audio.play(`lib:${p.name}`, p.file, promptAudio(p))}>▶ {t("prompts.play")}</button>
                      {admin && p.source === "uploaded" && (
                        <DeleteButton id={`delete-${p.name}`} question={t("prompts.deleteConfirm", { name: p.name })}
                          onDelete={() => void remove(p)} />
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
        <Speak audio={audio} />
      </div>
    </div>
  );
}

/** Upload: a file (WAV, MP3, …) and the name it is kept under, checked as the server does. */
function Upload({ list, onUploaded }: { list: Prompt[]; onUploaded: (p: Prompt, replaced: boolean) => void }) {
  const [name, setName] = useState("");
  const [file, setFile] = useState<File | null>(null);
  const [problem, setProblem] = useState<{ field: "name" | "file"; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState<string>("");
  const picker = useRef<HTMLInputElement>(null);
  const nameInput = useRef<HTMLInputElement>(null);
  const trimmed = name.trim();
  const nameBad = trimmed !== "" && !PROMPT_NAME.test(trimmed);

  const send = async () => {
    if (!file) return setProblem({ field: "file", text: t("prompts.err.noFile") });
    if (!PROMPT_NAME.test(trimmed)) {
      nameInput.current?.focus();
      return setProblem({ field: "name", text: t("prompts.err.name") });
    }
    const existing = list.find((p) => p.name === trimmed);
    if (existing && confirming !== trimmed) {
      setConfirming(trimmed);
      return undefined;
    }
    setConfirming("");
    setBusy(true);
    setProblem(null);
    try {
      const answer = await api<Prompt>("PUT", `/prompts/${encodeURIComponent(trimmed)}`, file);
      onUploaded(answer, existing?.source === "uploaded");
      setName("");
      setFile(null);
      if (picker.current) picker.current.value = "";
    } catch (e) {
      const found = uploadProblem(e);
      setProblem(found);
      if (found.field === "name") nameInput.current?.focus();
    } finally {
      setBusy(false);
    }
    return undefined;
  };
  const existing = list.find((p) => p.name === confirming);
  return (
    <form class="prompt-upload" id="prompt-upload" onSubmit={(e) => { e.preventDefault(); void send(); }}>
      <label class="field">
        <span>{t("prompts.file")}</span>
        <input type="file" id="prompt-file" ref={picker} accept=".wav,.mp3,audio/*" aria-invalid={problem?.field === "file"}
          aria-describedby="prompt-upload-problem"
          onChange={(e) => {
            const chosen = e.currentTarget.files?.[0] ?? null;
            setFile(chosen);
            setProblem(null);
            setConfirming("");
            if (chosen && !name.trim()) setName(nameFromFile(chosen.name));
          }} />
      </label>
      <label class="field">
        <span>{t("prompts.name")}</span>
        <input type="text" id="prompt-name" ref={nameInput} value={name} maxLength={64} spellcheck={false}
          aria-invalid={nameBad || problem?.field === "name"} aria-describedby="prompt-name-help prompt-upload-problem"
          onInput={(e) => { setName(e.currentTarget.value); setConfirming(""); if (problem?.field === "name") setProblem(null); }} />
      </label>
      <button type="submit" class="primary" id="prompt-send" disabled={busy}>{busy ? t("prompts.uploading") : t("prompts.upload")}</button>
      <span class="muted small" id="prompt-name-help">
        {nameBad ? <span class="flow-error-text">{t("prompts.err.name")}</span>
          : trimmed ? t("prompts.willPlayAs", { file: `${trimmed}.wav` }) : t("prompts.uploadHelp")}
      </span>
      {existing && (
        <span class="confirm" role="group" id="prompt-replace">
          <span>{t(existing.source === "uploaded" ? "prompts.replaceConfirm" : "prompts.overrideConfirm", { name: existing.name })}</span>
          <button type="submit" class="danger small" id="prompt-replace-confirm" ref={(b) => b?.focus()}>{t("prompts.replace")}</button>
          <button type="button" class="small" onClick={() => setConfirming("")}>{t("console.cancel")}</button>
        </span>
      )}
      {problem && <p class="form-error prompt-upload-problem" role="alert" id="prompt-upload-problem">{problem.text}</p>}
    </form>
  );
}

/** Text to speech, heard before it goes into a flow. */
function Speak({ audio }: { audio: ReturnType<typeof useAudio> }) {
  const [text, setText] = useState("");
  const [language, setLanguage] = useState<"zh" | "en">("zh");
  return (
    <section class="prompt-speak" aria-labelledby="speak-title">
      <h2 id="speak-title">{t("prompts.speakTitle")}</h2>
      <p class="muted small">{t("prompts.speakHelp")}</p>
      <form onSubmit={(e) => { e.preventDefault(); if (text.trim()) void audio.play("tts:", text.trim(), spoken(text.trim(), language)); }}>
        <textarea id="speak-text" rows={4} value={text} maxLength={1000} lang={language === "zh" ? "zh-CN" : "en"}
          aria-label={t("prompts.speakText")} placeholder={t(language === "zh" ? "prompts.speakPlaceholderZh" : "prompts.speakPlaceholderEn")}
          onInput={(e) => setText(e.currentTarget.value)} />
        <div class="toolbar">
          <span class="segmented" role="radiogroup" aria-label={t("prompts.speakLanguage")}>
            {(["zh", "en"] as const).map((l) => (
              <button key={l} type="button" role="radio" aria-checked={language === l} class={language === l ? "on" : ""}
                id={`speak-lang-${l}`} onClick={() => setLanguage(l)}>{t(l === "zh" ? "flows.promptZh" : "flows.promptEn")}</button>
            ))}
          </span>
          <button type="submit" class="primary" id="speak-play" disabled={!text.trim() || audio.busy === "tts:"}>
            {audio.busy === "tts:" ? t("prompts.speaking") : `▶ ${t("prompts.listen")}`}
          </button>
        </div>
      </form>
      <AudioOut audio={audio} id="speak-player" only="tts:" />
    </section>
  );
}
