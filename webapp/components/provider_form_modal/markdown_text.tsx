/** @jsxRuntime automatic */
// Markdown from the App (form header, markdown fields). The host exposes its own
// renderer as window.PostUtils; without it the text is shown as written.
import type { ReactNode } from 'react';

interface PostUtils {
  formatText: (text: string, options?: object) => string;
  messageHtmlToComponent: (html: string, options?: object) => ReactNode;
}

/** The host's rendering of the markdown, or undefined when it has none or it throws. */
function hostRendering(text: string): ReactNode | undefined {
  const utils = (globalThis as { PostUtils?: PostUtils }).PostUtils;
  if (!utils?.formatText || !utils.messageHtmlToComponent) return undefined;
  try {
    return utils.messageHtmlToComponent(utils.formatText(text, { markdown: true }), {});
  } catch {
    // Fall through to plain text: a host renderer change must not break the form.
    return undefined;
  }
}

export function MarkdownText({ text, className }: { text: string; className?: string }) {
  const rendered = hostRendering(text);
  if (rendered !== undefined) return <div className={className}>{rendered}</div>;
  return (
    <div className={className} style={{ whiteSpace: 'pre-wrap' }}>
      {text}
    </div>
  );
}
