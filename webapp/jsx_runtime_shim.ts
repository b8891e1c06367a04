// Stands in for react/jsx-runtime in the bundle (webpack.config.js aliases it).
// React's own jsx-runtime reads React internals that change between majors
// (React 19 removed ReactCurrentOwner), and the host, not us, picks the React
// version; createElement is public API in every version. Tests use the real one.
import { createElement, Fragment, type ElementType } from 'react';

export { Fragment };

export function jsx(type: ElementType, props: Record<string, unknown>, key?: string | number) {
  // createElement takes children from props when none are passed as arguments.
  return createElement(type, key === undefined ? props : { ...props, key });
}

export const jsxs = jsx;
