// Stands in for react/jsx-runtime in the bundle (webpack.config.js aliases it).
// React's own jsx-runtime reads React internals that change between majors
// (React 19 removed ReactCurrentOwner), and the host, not us, picks the React
// version; createElement is public API in every version. Tests use the real one.
import { createElement, Fragment, type ElementType, type ReactNode } from 'react';

export { Fragment };

export function jsx(type: ElementType, props: Record<string, unknown>, key?: string | number) {
  // createElement takes children from props when none are passed as arguments.
  return createElement(type, key === undefined ? props : { ...props, key });
}

/**
 * Static children (several JSX children written side by side): passed to
 * createElement as arguments, as React's own runtime treats them, so React does
 * not ask them for keys (in props.children they count as a list and every
 * development build warns "Each child in a list should have a unique key").
 */
export function jsxs(type: ElementType, props: Record<string, unknown>, key?: string | number) {
  const { children, ...rest } = props;
  const config = key === undefined ? rest : { ...rest, key };
  return Array.isArray(children) ? createElement(type, config, ...(children as ReactNode[])) : createElement(type, config, children as ReactNode);
}
