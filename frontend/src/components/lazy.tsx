/** A page whose code loads on first use (its own chunk), keeping the first page light. */
import type { FunctionComponent } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { LoadState } from './page';

export function lazyPage<P extends object>(load: () => Promise<FunctionComponent<P>>): FunctionComponent<P> {
  let loaded: FunctionComponent<P> | undefined;
  return function LazyPage(props: P) {
    const [Component, setComponent] = useState<FunctionComponent<P> | undefined>(() => loaded);
    const [error, setError] = useState<unknown>();
    useEffect(() => {
      if (loaded) return;
      load().then(
        (component) => {
          loaded = component;
          setComponent(() => component);
        },
        (failure) => setError(failure),
      );
    }, []);
    if (!Component) return <LoadState loading={!error} error={error} retry={() => location.reload()} />;
    return <Component {...props} />;
  };
}
