import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { session } from '../api/session.js';

export interface AsyncState<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  /** Loads again (keeping the data shown meanwhile), superseding a load under way. */
  reload(): void;
  /** Loads again unless a load is under way (for polling: a slow answer is not cut off by the next tick). */
  refresh(): void;
  /** Shows this data instead (an action's response that already says what a reload would). */
  replace(data: T): void;
}

/**
 * Runs `load` when the component mounts, when `deps` change and when the API key changes; aborts a load that is
 * superseded or whose component unmounts. A 401 opens the key prompt (session.report).
 */
export function useAsync<T>(load: (signal: AbortSignal) => Promise<T>, deps: readonly unknown[]): AsyncState<T> {
  const [state, setState] = useState<{ data: T | undefined; error: unknown; loading: boolean }>({
    data: undefined,
    error: undefined,
    loading: true,
  });
  const [tick, setTick] = useState(0);
  const [version, setVersion] = useState(session.version);
  useEffect(() => session.subscribe(() => setVersion(session.version)), []);
  useEffect(() => {
    const controller = new AbortController();
    setState((s) => ({ ...s, loading: true }));
    load(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setState({ data, error: undefined, loading: false });
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        session.report(error);
        setState((s) => ({ data: s.data, error, loading: false }));
      },
    );
    return () => controller.abort();
  }, [...deps, tick, version]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  const loading = useRef(state.loading);
  loading.current = state.loading;
  const refresh = useCallback(() => {
    if (!loading.current) setTick((n) => n + 1);
  }, []);
  const replace = useCallback((data: T) => setState({ data, error: undefined, loading: false }), []);
  return { ...state, reload, refresh, replace };
}

/** Calls `fn` every `ms` while mounted (not while the tab is hidden). */
export function useInterval(fn: () => void, ms: number | null): void {
  const latest = useRef(fn);
  latest.current = fn;
  useEffect(() => {
    if (ms === null) return;
    const timer = setInterval(() => {
      if (document.visibilityState !== 'hidden') latest.current();
    }, ms);
    return () => clearInterval(timer);
  }, [ms]);
}

export interface Action {
  busy: boolean;
  error: unknown;
  /** Runs `fn`, keeping its error to show; resolves to its result, or undefined when it failed. */
  run<R>(fn: () => Promise<R>): Promise<R | undefined>;
  clear(): void;
}

/** A button's call to the API: busy while it runs, its error kept for the page to show. */
export function useAction(): Action {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const run = useCallback(async <R>(fn: () => Promise<R>): Promise<R | undefined> => {
    setBusy(true);
    setError(undefined);
    try {
      return await fn();
    } catch (err) {
      session.report(err);
      setError(err);
      return undefined;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, run, clear: useCallback(() => setError(undefined), []) };
}
