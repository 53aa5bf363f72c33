// A figure asked of the server again every few seconds while the page shows it (the
// Health and Trunks tabs): the next request leaves only once the previous answered.
import { useEffect, useState } from "preact/hooks";

export type Polled<T> = { value: T | null; updated: number; error: string };

export function usePolling<T>(load: () => Promise<T>, everyMs: number): Polled<T> {
  const [polled, setPolled] = useState<Polled<T>>({ value: null, updated: 0, error: "" });
  useEffect(() => {
    let stopped = false;
    let timer = 0;
    const next = async () => {
      try {
        const value = await load();
        if (!stopped) setPolled({ value, updated: Date.now(), error: "" });
      } catch (failure) {
        if (!stopped) setPolled((before) => ({ ...before, error: (failure as Error).message }));
      }
      if (!stopped) timer = window.setTimeout(() => void next(), everyMs);
    };
    void next();
    return () => {
      stopped = true;
      window.clearTimeout(timer);
    };
  }, []);
  return polled;
}
