/** @jsxRuntime automatic */
// The admin's "Add a provider" modal. No plugin API opens the webapp's own Apps
// form modal (see webapp/README.md), so this renders the App's `provider add`
// form itself and submits it through the same call endpoint.
import { useEffect, useRef } from 'react';
import { createPortal } from 'react-dom';
import type { Notice } from '../../action_types.js';
import { CLASS, PANEL_CSS } from '../../styles.js';
import { FormField } from './form_field.js';
import { visibleFields } from './form_values.js';
import { MarkdownText } from './markdown_text.js';
import { useAppForm } from './use_app_form.js';

export function ProviderFormModal({ onClose }: { onClose: (notice?: Notice) => void }) {
  const { state, setValue, submit } = useAppForm(onClose);
  const dialog = useRef<HTMLDivElement>(null);
  const { form } = state;

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [onClose]);

  // Focus the first control once the form has arrived, so keyboard users land in it.
  const loaded = form !== null;
  useEffect(() => {
    if (!loaded) return;
    dialog.current?.querySelector<HTMLElement>('input, select, textarea, button')?.focus();
  }, [loaded]);

  const title = form?.title || 'Add a provider';
  return createPortal(
    <div className={`${CLASS}-overlay`} onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <style>{PANEL_CSS}</style>
      <div ref={dialog} className={`${CLASS}-modal`} role="dialog" aria-modal="true" aria-labelledby={`${CLASS}-modal-title`}>
        <h2 id={`${CLASS}-modal-title`}>{title}</h2>
        {!form && state.busy && <p role="status">Loading the form…</p>}
        {form?.header && <MarkdownText className={`${CLASS}-help`} text={form.header} />}
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          {form &&
            visibleFields(form).map((field) => (
              <FormField
                key={field.name}
                field={field}
                value={state.values[field.name]}
                error={state.fieldErrors[field.name] || undefined}
                disabled={state.busy}
                onChange={(value) => setValue(field.name, value)}
              />
            ))}
          {form?.footer && <MarkdownText className={`${CLASS}-help`} text={form.footer} />}
          {state.formError && (
            <p className={`${CLASS}-field-error`} role="alert">
              {state.formError}
            </p>
          )}
          <div className={`${CLASS}-modal-buttons`}>
            <button type="button" className={`${CLASS}-btn ${CLASS}-btn-secondary`} onClick={() => onClose()}>
              Cancel
            </button>
            {form?.submit && (
              <button type="submit" className={`${CLASS}-btn`} disabled={state.busy}>
                {state.busy ? 'Saving…' : 'Save'}
              </button>
            )}
          </div>
        </form>
      </div>
    </div>,
    document.body,
  );
}
