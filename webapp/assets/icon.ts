// The plugin's icon: a link between two rings (an account joined to another).
// Kept as SVG text so it serves both as an <img> data URL (App Bar) and inline.
export const ICON_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" width="24" height="24" fill="none" ' +
  'stroke="#1c58d9" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">' +
  '<path d="M10 14a4.5 4.5 0 0 0 6.4 0l3-3a4.5 4.5 0 0 0-6.4-6.4l-1 1"/>' +
  '<path d="M14 10a4.5 4.5 0 0 0-6.4 0l-3 3a4.5 4.5 0 0 0 6.4 6.4l1-1"/></svg>';

export const ICON_DATA_URL = `data:image/svg+xml;utf8,${encodeURIComponent(ICON_SVG)}`;
