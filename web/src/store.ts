import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";

// A value that components and modules can watch: the app's only state helper.
export class Store<T> {
  private listeners = new Set<(value: T) => void>();
  constructor(private value: T) {}

  get(): T {
    return this.value;
  }

  set(value: T): void {
    if (Object.is(value, this.value)) return;
    this.value = value;
    for (const listener of [...this.listeners]) listener(value);
  }

  update(change: (value: T) => T): void {
    this.set(change(this.value));
  }

  subscribe(listener: (value: T) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get watched(): boolean {
    return this.listeners.size > 0;
  }
}

/** The store's value; the component re-renders when it changes. A change made
 *  between the render and the subscription (an answer that came in that moment, e.g.
 *  GET /me right after a reload) is caught when subscribing: it used to be lost, and the
 *  page stayed blank. */
export function useStore<T>(store: Store<T>): T {
  const [, setVersion] = useState(0);
  const value = store.get();
  const rendered = useRef(value);
  rendered.current = value;
  useLayoutEffect(() => {
    const stop = store.subscribe(() => setVersion((v) => v + 1));
    if (!Object.is(store.get(), rendered.current)) setVersion((v) => v + 1);
    return stop;
  }, [store]);
  return value;
}

// One clock for every ticking duration on screen: one timer, one re-render a second.
const clock = new Store<number>(Date.now());
let timer: number | undefined;

/** The current time in ms, re-rendering the component every second. */
export function useNow(): number {
  const [, setVersion] = useState(0);
  useEffect(() => {
    const stop = clock.subscribe(() => setVersion((v) => v + 1));
    if (timer === undefined) {
      clock.set(Date.now());
      timer = window.setInterval(() => clock.set(Date.now()), 1000);
    }
    return () => {
      stop();
      if (!clock.watched && timer !== undefined) {
        window.clearInterval(timer);
        timer = undefined;
      }
    };
  }, []);
  return Math.max(clock.get(), Date.now());
}
