import { useCallback, useEffect, useState } from 'react';
import { graphql, type ApiError } from './api.js';

export interface QueryState<T> {
  data: T | null;
  errors: ApiError[];
  loading: boolean;
  /** Runs the query again (after a change), keeping the current data on screen meanwhile. */
  reload(): Promise<void>;
}

/** Runs a query when the screen opens and whenever `variables` change (compared as JSON). */
export function useQuery<T>(query: string, variables: Record<string, unknown> = {}): QueryState<T> {
  const key = JSON.stringify(variables);
  const [state, setState] = useState<{ data: T | null; errors: ApiError[]; loading: boolean }>({ data: null, errors: [], loading: true });
  const run = useCallback(async () => {
    setState((s) => ({ ...s, loading: true }));
    const result = await graphql<T>(query, JSON.parse(key));
    setState({ data: result.data, errors: result.errors, loading: false });
  }, [query, key]);
  useEffect(() => {
    void run();
  }, [run]);
  return { ...state, reload: run };
}
