/** @jsxRuntime automatic */
// Markdown from the App (form header, markdown fields). The host exposes its own
// renderer as window.PostUtils; without it the text is shown as written.
import type { ReactNode } from 'react';

interface PostUtils {
  formatText: (text: string, options?: object) => string;
  messageHtmlToComponent: (html: string, options?: object) => ReactNode;
}

export function MarkdownText({ text, className }: { text: string; className?: string }) {
  const utils = (globalThis as { PostUtils?: PostUtils }).PostUtils;
  if (utils?.formatText && utils.messageHtmlToComponent) {
    try {
      return <div className={className}>{utils.messageHtmlToComponent(utils.formatText(text, { markdown: true }), {})}</div>;
    } catch {
      // Fall through to plain text: a host renderer change must not break the form.
    }
  }
  return <div className={className} style={{ whiteSpace: 'pre-wrap' }}>{text}</div>;
}
