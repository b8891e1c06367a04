// The life of an Apps form in our modal: fetch it, refresh it when a `refresh`
// field changes, submit it. Mirrors what the webapp's own Apps modal does
// (apps_form_container.tsx), for the subset of field types the App uses.
import { useCallback, useEffect, useState } from 'react';
import { useStore } from 'react-redux';
import { providerAddFormCall } from '../../app_calls.js';
import type { Notice } from '../../action_types.js';
import { callApp } from '../../client/apps_client.js';
import { webUrl } from '../../safe_url.js';
import { getCallOrigin, type HostState } from '../../selectors.js';
import type { AppCall, AppForm, CallResponse, FieldValue, FormValues } from '../../wire_types.js';
import { initialValues, submittedValues, validate } from './form_values.js';

export interface AppFormState {
  form: AppForm | null;
  values: FormValues;
  fieldErrors: Record<string, string>;
  formError: string | null;
  busy: boolean;
}

const START: AppFormState = { form: null, values: {}, fieldErrors: {}, formError: null, busy: true };

function errorText(res: CallResponse, fallback: string): string {
  return (res.type === 'error' || res.type === 'ok') && res.text ? res.text : fallback;
}

export function useAppForm(onDone: (notice?: Notice) => void, formCall: AppCall = providerAddFormCall) {
  const store = useStore<HostState>();
  const [state, setState] = useState<AppFormState>(START);
  const call = useCallback(
    (target: AppCall, values?: FormValues, selectedField?: string) => callApp(getCallOrigin(store.getState()), target, values, selectedField),
    [store],
  );

  // A form request answers only `form` or `error` (docs/mattermost.md, "Call responses, bindings and forms").
  const takeForm = (res: CallResponse, previous?: FormValues) => {
    setState((s) =>
      res.type === 'form'
        ? { form: res.form, values: initialValues(res.form, previous), fieldErrors: {}, formError: null, busy: false }
        : { ...s, busy: false, formError: errorText(res, 'The app did not send a form.') },
    );
  };

  useEffect(() => {
    let live = true;
    void call(formCall).then((res) => live && takeForm(res));
    return () => {
      live = false;
    };
  }, [call, formCall]);

  const setValue = (name: string, value: FieldValue) => {
    const values = { ...state.values, [name]: value };
    const field = state.form?.fields?.find((f) => f.name === name);
    setState((s) => ({ ...s, values, fieldErrors: { ...s.fieldErrors, [name]: '' } }));
    if (field?.refresh && state.form) {
      setState((s) => ({ ...s, busy: true }));
      void call(state.form.source ?? formCall, submittedValues(state.form, values), name).then((res) => takeForm(res, values));
    }
  };

  const submit = async () => {
    const form = state.form;
    if (!form?.submit) return;
    const fieldErrors = validate(form, state.values);
    if (Object.keys(fieldErrors).length > 0) {
      setState((s) => ({ ...s, fieldErrors, formError: 'Fix the marked fields.' }));
      return;
    }
    setState((s) => ({ ...s, busy: true, formError: null }));
    const res = await call(form.submit, submittedValues(form, state.values));
    if (res.type === 'ok') {
      onDone({ kind: 'info', text: res.text || 'Done.' });
    } else if (res.type === 'form') {
      takeForm(res, state.values);
    } else if (res.type === 'navigate' && webUrl(res.navigate_to_url)) {
      window.open(res.navigate_to_url, '_blank', 'noopener');
      onDone();
    } else if (res.type === 'navigate') {
      setState((s) => ({ ...s, busy: false, formError: 'The app sent a link this page does not open.' }));
    } else {
      setState((s) => ({
        ...s,
        busy: false,
        formError: res.text || 'The app refused the form.',
        fieldErrors: res.data?.errors ?? {},
      }));
    }
  };

  return { state, setValue, submit };
}
