// The prompt library (docs/api.md, Prompt library) as the Prompts page and the flow
// designer use it: the list, kept in a store so the designer's pickers share one
// fetch; a prompt's audio and a text read by the TTS, fetched with the token and
// played in an <audio> element (AudioOut) under the button that asked for it.
import { useEffect, useState } from "preact/hooks";
import { api, apiBlobUrl, apiFetch, ApiError } from "./api";
import { t } from "./i18n";
import { Store } from "./store";

export type Prompt = {
  name: string; file: string; source: "uploaded" | "shipped"; duration_ms: number; bytes: number; modified_at: number;
  audio: string;
};
/** A prompt's name, as the server takes it. */
export const PROMPT_NAME = /^[A-Za-z0-9_-]{1,64}$/;
/** The TTS voice of each language the designer writes (docs/ivr.md, Prompts). */
export const VOICES = { zh: "cmn", en: "en" } as const;

/** The library as last read (null before the first answer). */
export const promptLibrary = new Store<Prompt[] | null>(null);

export async function loadPrompts(): Promise<Prompt[]> {
  const answer = await api<{ items: Prompt[] }>("GET", "/prompts");
  promptLibrary.set(answer.items);
  return answer.items;
}

/** The library's prompt a flow's `{"file": …}` names ("welcome.wav"; a path below the
 *  sounds folder such as "sounds/welcome.wav" finds it by its last part). */
export function promptOfFile(list: readonly Prompt[] | null, file: string): Prompt | undefined {
  if (!list || !file) return undefined;
  const base = file.split("/").pop() ?? file;
  return list.find((p) => p.file === file) ?? list.find((p) => p.file === base);
}

/** A refusal about audio, in words: the server's reason kept as the detail. */
export function audioProblem(error: unknown): string {
  if (!(error instanceof ApiError)) return String(error);
  switch (error.code) {
    case "not_found": return t("prompts.err.notFound");
    case "forbidden": return t("error.forbidden");
    case "tts_failed": return t("prompts.err.ttsFailed", { reason: error.message });
    case "tts_timeout": return t("prompts.err.ttsTimeout");
    case "invalid_field": return t("prompts.err.text", { reason: error.message });
    default: return error.message;
  }
}

export type Playing = { url: string; label: string; key: string };

/** One <audio> for a part of a page: play() fetches (a prompt's file, a text spoken)
 *  and plays it; the previous object URL is released. */
export function useAudio() {
  const [playing, setPlaying] = useState<Playing | null>(null);
  const [error, setError] = useState<{ key: string; text: string } | null>(null);
  const [busy, setBusy] = useState("");
  useEffect(() => () => { if (playing) URL.revokeObjectURL(playing.url); }, [playing]);
  const play = async (key: string, label: string, load: () => Promise<string>) => {
    setBusy(key);
    setError(null);
    try {
      setPlaying({ url: await load(), label, key });
    } catch (e) {
      setPlaying(null);
      setError({ key, text: audioProblem(e) });
    } finally {
      setBusy("");
    }
  };
  return { playing, error, busy, play, stop: () => setPlaying(null) };
}

export const promptAudio = (prompt: Prompt) => (): Promise<string> =>
  apiBlobUrl(prompt.audio || `/prompts/${encodeURIComponent(prompt.name)}/audio`);

export const spoken = (text: string, language: "zh" | "en", voice: string = VOICES[language]) => async (): Promise<string> =>
  URL.createObjectURL(await (await apiFetch("/prompts/speak", { text, language, voice })).blob());

/** The player of useAudio(): what plays, with the element's own controls. */
export function AudioOut({ audio, id, only }: { audio: ReturnType<typeof useAudio>; id?: string; only?: string }) {
  const { playing, error } = audio;
  const mine = (key: string) => only === undefined || key.startsWith(only);
  return (
    <>
      {error && mine(error.key) && <p class="form-error prompt-audio-error" role="alert">{error.text}</p>}
      {playing && mine(playing.key) && (
        <div class="prompt-audio">
          <span class="muted small" title={playing.label}>{t("prompts.playing", { name: playing.label })}</span>
          <audio id={id} controls autoPlay src={playing.url} data-key={playing.key} />
          <button type="button" class="small quiet" aria-label={t("prompts.closePlayer")} title={t("prompts.closePlayer")}
            onClick={audio.stop}>×</button>
        </div>
      )}
    </>
  );
}

let asked: Promise<unknown> | null = null;
/** Reads the library once for the designer's pickers (the Prompts page reads it anew). */
export function ensurePrompts(): void {
  if (promptLibrary.get() === null && !asked) asked = loadPrompts().catch(() => { asked = null; });
}
