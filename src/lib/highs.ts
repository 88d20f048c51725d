/**
 * The HiGHS linear and mixed-integer solver (WebAssembly, shipped inside the `highs` package: nothing
 * is downloaded at run time), loaded once per process and shared by the seat allocator and the
 * disclosure library.
 */
import type { Highs } from 'highs';
import * as highsModule from 'highs';

type Loader = () => Promise<Highs>;
/** The package is CommonJS-typed but loads as an ES module: take the loader from either shape. */
function loader(): Loader {
  const exported: unknown = (highsModule as { default?: unknown }).default;
  if (typeof exported === 'function') return exported as Loader;
  return (exported as { default: Loader }).default;
}

let loading: Promise<Highs> | undefined;
/** The HiGHS WebAssembly module, loaded once per process. */
export function loadHighs(): Promise<Highs> {
  if (!loading) loading = loader()();
  return loading;
}
